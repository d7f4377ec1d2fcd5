using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>docs/contract.md row 13 (which apps a user is connected to) and the console's token management view.</summary>
static class TokenListEndpoints
{
    /// <summary>docs/contract.md row 13, which fetch keys may call too (<see cref="Security.VaultAccess.Lookup"/>).</summary>
    public static RouteGroupBuilder MapConnectedApps(this RouteGroupBuilder outbound)
    {
        outbound.MapGet("/apps-with-user-token", ListAppsWithUserToken).Validate<ConnectedAppsQuery>()
            .WithName("ListAppsWithUserToken")
            .WithSummary("Ids of the apps a user holds a valid token for (of the given tenant, or of no tenant; for a fetch key limited to apps, of those)");
        return outbound;
    }

    public static RouteGroupBuilder MapTokenLists(this RouteGroupBuilder outbound)
    {
        outbound.MapGet("/app/{appId}/tokens", ListAppTokens).Validate<AppTokensQuery>().Produces<DescopeError>(StatusCodes.Status404NotFound)
            .WithName("ListAppTokens")
            .WithSummary("Token management: a page of an app's tokens, metadata only")
            .WithDescription(
                "The tokens held for an app, most recently stored or refreshed first, optionally only those of one user " +
                "(`userId`) and/or one tenant (`tenantId`; with `userId`, that user's tokens in that tenant). " +
                $"`page` counts from 0; `pageSize` is 1 to {AppTokensQuery.MaxPageSize} (default {AppTokensQuery.DefaultPageSize}). " +
                "Each entry describes the grant (owner, kind, status, scopes, expiry, refresh bookkeeping, key id) and whether " +
                "an access and a refresh token are held. Secrets are never returned: fetch a token through the token routes.");
        return outbound;
    }

    /// <summary>
    /// Valid tokens only: every listed app is one where the matching fetch finds a token. Without tenantId
    /// only tokens of no tenant count, as for a fetch.
    /// </summary>
    static async Task<Ok<AppIdsResponse>> ListAppsWithUserToken(
        [AsParameters] ConnectedAppsQuery query, ClaimsPrincipal caller, VaultDbContext db, CancellationToken ct)
    {
        var (user, tenant) = (query.GivenUserId!, query.GivenTenantId ?? "");
        var appIds = await db.Tokens.AsNoTracking()
            .Where(t => t.UserId == user && t.TenantId == tenant && t.Status == TokenStatuses.Valid)
            .Select(t => t.AppId).Distinct().ToListAsync(ct);
        var key = ManagementKey.Of(caller);
        return TypedResults.Ok(new AppIdsResponse(appIds.Where(app => key?.MayUse(app) != false).Order(StringComparer.Ordinal).ToList()));
    }

    static async Task<Ok<TokenPage>> ListAppTokens(
        [AsParameters] AppTokensQuery arguments, VaultDbContext db, OutboundApps apps, CancellationToken ct)
    {
        var appId = arguments.AppId;
        if (!await apps.ExistsAsync(appId, ct)) throw OutboundApps.NotFound(appId);
        var (pageNumber, size) = (arguments.PageNumber, arguments.Size);
        var (user, tenant) = (arguments.GivenUserId, arguments.GivenTenantId);
        var query = db.Tokens.AsNoTracking().Where(t => t.AppId == appId
            && (user == null || t.UserId == user)
            && (tenant == null || t.TenantId == tenant));
        var total = await query.CountAsync(ct);
        var tokens = await query.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id)
            .Skip(pageNumber * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new TokenPage(tokens.Select(TokenMetadata.For).ToList(), total, pageNumber, size));
    }
}
