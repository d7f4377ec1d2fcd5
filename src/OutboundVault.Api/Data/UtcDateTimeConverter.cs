using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OutboundVault.Data;

sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
