using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Audit;

/// <summary>An audit record on the wire; <c>time</c> is epoch seconds.</summary>
public sealed record AuditRecordResponse(long Time, string Actor, string Action, string? AppId, string? UserId, string? TenantId, string? TokenId, string Outcome);

public sealed record AuditPage(IReadOnlyList<AuditRecordResponse> Records, int Total);

/// <summary>Vault extension: <c>GET /v1/mgmt/audit</c>, newest first (admin keys only).</summary>
public static class AuditEndpoints
{
    const int DefaultPageSize = 100, MaxPageSize = 1000;

    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName)
            .Validate(o => o.Retention > TimeSpan.Zero, "Audit:Retention must be positive").ValidateOnStart();
        return services.AddSingleton<AuditLog>().AddHostedService<AuditWriter>();
    }

    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder mgmt)
    {
        mgmt.MapGet("/audit", List).WithTags("Audit").RequireAuthorization(VaultAccess.Admin).ProducesValidationError()
            .WithName("ListAuditRecords")
            .WithSummary("Token reads and secret changes, newest first: ?appId=&userId=&from=&to= (epoch seconds) &page= (from 0) &pageSize=");
        return mgmt;
    }

    static async Task<Ok<AuditPage>> List(
        [FromQuery] string? appId, [FromQuery] string? userId, [FromQuery] string? from, [FromQuery] string? to,
        [FromQuery] string? page, [FromQuery] string? pageSize, VaultDbContext db, CancellationToken ct)
    {
        var (app, user) = (Arguments.Given(appId), Arguments.GivenOwnerId(userId, "userId"));
        var (since, until) = (Time(from, "from"), Time(to, "to"));
        var (number, size) = (Arguments.Number(page, "page", 0, int.MaxValue / MaxPageSize, 0), Arguments.Number(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize));
        var query = db.Audit.AsNoTracking().Where(r => (app == null || r.AppId == app) && (user == null || r.UserId == user)
            && (since == null || r.Time >= since) && (until == null || r.Time <= until));
        var total = await query.CountAsync(ct);
        var records = await query.OrderByDescending(r => r.Time).ThenByDescending(r => r.Id).Skip(number * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage([.. records.Select(r => new AuditRecordResponse(
            new DateTimeOffset(r.Time).ToUnixTimeSeconds(), r.Actor, r.Action, r.AppId, r.UserId, r.TenantId, r.TokenId, r.Outcome))], total));
    }

    static DateTime? Time(string? value, string field) => Arguments.Given(value) is not { } text ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= TokenLimits.MaxExpiry
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : throw VaultException.Invalid($"{field} must be epoch seconds");
}
