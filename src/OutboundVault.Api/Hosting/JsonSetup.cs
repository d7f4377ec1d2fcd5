using System.Text.Json.Serialization;

namespace OutboundVault.Hosting;

static class JsonSetup
{
    /// <summary>camelCase, case-insensitive, unknown fields ignored, nulls left out of responses.</summary>
    public static IServiceCollection AddVaultJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.PropertyNameCaseInsensitive = true;
        });
}
