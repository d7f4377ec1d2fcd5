using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OutboundVault.Data;

/// <summary>Stores a small list as JSON text: the same column shape on SQLite and PostgreSQL.</summary>
static class JsonColumn
{
    public static PropertyBuilder<List<T>> HasJsonConversion<T>(this PropertyBuilder<List<T>> property)
    {
        var comparer = new ValueComparer<List<T>>(
            (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
            v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!);
        property.HasConversion(
            v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
            v => Read<T>(v),
            comparer);
        return property;
    }

    /// <summary>The column's text as its list (hand-written reads use it too).</summary>
    public static List<T> Read<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Web) ?? [];
}
