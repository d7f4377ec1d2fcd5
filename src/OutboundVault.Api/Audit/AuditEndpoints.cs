using System.Globalization;
using FluentValidation;
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
sealed record AuditRecordResponse(long Time, string Actor, string Action, string? AppId, string? UserId, string? TenantId, string? TokenId, string Outcome);

sealed record AuditPage(IReadOnlyList<AuditRecordResponse> Records, int Total);

/// <summary>Vault extension: <c>GET /v1/mgmt/audit</c>, newest first (admin keys only).</summary>
static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditRecords(this RouteGroupBuilder mgmt)
    {
        mgmt.MapGet("/audit", List).Validate<AuditQuery>()
            .WithName("ListAuditRecords")
            .WithSummary("Token reads and secret changes, newest first: ?appId=&userId=&from=&to= (epoch seconds) &page= (from 0) &pageSize=");
        return mgmt;
    }

    static async Task<Ok<AuditPage>> List([AsParameters] AuditQuery query, VaultDbContext db, CancellationToken ct)
    {
        var (app, user, since, until) = (Arguments.Given(query.AppId), Arguments.Given(query.UserId), AuditQuery.Time(query.From), AuditQuery.Time(query.To));
        var (number, size) = (Arguments.Number(Arguments.Given(query.Page), 0), Arguments.Number(Arguments.Given(query.PageSize), AuditQuery.DefaultPageSize));
        var records = db.Audit.AsNoTracking().Where(r => (app == null || r.AppId == app) && (user == null || r.UserId == user)
            && (since == null || r.Time >= since) && (until == null || r.Time <= until));
        var total = await records.CountAsync(ct);
        var page = await records.OrderByDescending(r => r.Time).ThenByDescending(r => r.Id).Skip(number * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage([.. page.Select(r => new AuditRecordResponse(
            new DateTimeOffset(r.Time).ToUnixTimeSeconds(), r.Actor, r.Action, r.AppId, r.UserId, r.TenantId, r.TokenId, r.Outcome))], total));
    }
}

/// <summary><c>?appId=&amp;userId=&amp;from=&amp;to=</c> (epoch seconds) <c>&amp;page=</c> (from 0) <c>&amp;pageSize=</c>.</summary>
sealed record AuditQuery(
    [FromQuery(Name = "appId")] string? AppId, [FromQuery(Name = "userId")] string? UserId, [FromQuery(Name = "from")] string? From, [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "page")] string? Page, [FromQuery(Name = "pageSize")] string? PageSize)
{
    public const int DefaultPageSize = 100, MaxPageSize = 1000;

    public static DateTime? Time(string? value) => Arguments.Given(value) is { } text
        ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)).UtcDateTime
        : null;
}

sealed class AuditQueryValidator : AbstractValidator<AuditQuery>
{
    public AuditQueryValidator()
    {
        RuleFor(q => Arguments.Given(q.UserId)).OwnerId("userId");
        RuleFor(q => Arguments.Given(q.From)).Must(IsEpochSeconds).WithMessage("from must be epoch seconds");
        RuleFor(q => Arguments.Given(q.To)).Must(IsEpochSeconds).WithMessage("to must be epoch seconds");
        RuleFor(q => Arguments.Given(q.Page)).WholeNumber("page", 0, int.MaxValue / AuditQuery.MaxPageSize);
        RuleFor(q => Arguments.Given(q.PageSize)).WholeNumber("pageSize", 1, AuditQuery.MaxPageSize);
    }

    static bool IsEpochSeconds(string? value) =>
        value is null || (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= TokenLimits.MaxExpiry);
}
