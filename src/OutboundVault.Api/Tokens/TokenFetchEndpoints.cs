using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Audit;
using OutboundVault.Errors;
using OutboundVault.Hosting;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>docs/contract.md rows 7–10: a user's or tenant's token, the latest or the one covering given scopes.</summary>
static class TokenFetchEndpoints
{
    public static RouteGroupBuilder MapTokenFetch(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/user/token", FetchUserTokenByScopes).Validate<UserTokenFetch>().ProducesFetchErrors()
            .WithName("FetchUserTokenByScopes")
            .WithSummary("A user's most recent valid token whose granted scopes include every requested scope");
        outbound.MapPost("/app/user/token/latest", FetchLatestUserToken).Validate<UserTokenFetch>().ProducesFetchErrors()
            .WithName("FetchLatestUserToken")
            .WithSummary("A user's most recently stored or refreshed valid token (only tokens of the given tenant, or of no tenant)");
        outbound.MapPost("/app/tenant/token", FetchTenantTokenByScopes).Validate<TenantTokenFetch>().ProducesFetchErrors()
            .WithName("FetchTenantTokenByScopes")
            .WithSummary("A tenant's most recent valid token whose granted scopes include every requested scope");
        outbound.MapPost("/app/tenant/token/latest", FetchLatestTenantToken).Validate<TenantTokenFetch>().ProducesFetchErrors()
            .WithName("FetchLatestTenantToken")
            .WithSummary("A tenant's most recently stored or refreshed valid token");
        return outbound;
    }

    static Task<Ok<TokenEnvelope>> FetchUserTokenByScopes(UserTokenFetch request, Caller caller, CancellationToken ct) =>
        caller.FetchAsync(request.AppId!, TokenOwner.User(request.UserId!, request.TenantId),
            Arguments.Scopes(request.Scopes), request.Options, request.ExternalIdentifier, ct);

    static Task<Ok<TokenEnvelope>> FetchLatestUserToken(UserTokenFetch request, Caller caller, CancellationToken ct) =>
        caller.FetchAsync(request.AppId!, TokenOwner.User(request.UserId!, request.TenantId),
            [], request.Options, request.ExternalIdentifier, ct);

    static Task<Ok<TokenEnvelope>> FetchTenantTokenByScopes(TenantTokenFetch request, Caller caller, CancellationToken ct) =>
        caller.FetchAsync(request.AppId!, TokenOwner.Tenant(request.TenantId!),
            Arguments.Scopes(request.Scopes), request.Options, request.ExternalIdentifier, ct);

    static Task<Ok<TokenEnvelope>> FetchLatestTenantToken(TenantTokenFetch request, Caller caller, CancellationToken ct) =>
        caller.FetchAsync(request.AppId!, TokenOwner.Tenant(request.TenantId!),
            [], request.Options, request.ExternalIdentifier, ct);

    /// <summary>The caller's credentials and SDK, the access check and the fetcher of one fetch request.</summary>
    sealed record Caller(ClaimsPrincipal Principal, bool OmitsTimes, VaultAccess Access, TokenFetcher Fetcher, AuditLog Audit, VaultMetrics Metrics)
    {
        public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(new(context.User,
            SdkDialect.OmitsTokenTimes(context.Request), context.RequestServices.GetRequiredService<VaultAccess>(),
            context.RequestServices.GetRequiredService<TokenFetcher>(), context.RequestServices.GetRequiredService<AuditLog>(),
            context.RequestServices.GetRequiredService<VaultMetrics>()));

        public async Task<Ok<TokenEnvelope>> FetchAsync(string appId, TokenOwner owner, IReadOnlyCollection<string> scopes,
            FetchOptions? options, string? externalIdentifier, CancellationToken ct)
        {
            TokenEnvelope fetched;
            try
            {
                Access.EnsureMayUse(Principal, appId, owner);
                fetched = await Fetcher.FetchAsync(appId, owner, scopes, options, Arguments.NonEmpty(externalIdentifier), ct);
            }
            catch (VaultException ex)
            {
                Audit.Record(AuditActions.TokenRead, appId, owner, outcome: ex.Error.Code);
                Metrics.Fetched(ex.Error.Code);
                throw;
            }
            Audit.Record(AuditActions.TokenRead, appId, owner, fetched.Token.Id);
            Metrics.Fetched(AuditOutcomes.Ok);
            return TypedResults.Ok(OmitsTimes ? new TokenEnvelope(fetched.Token.WithoutTimes()) : fetched);
        }
    }

    /// <summary>404 for "connect first" or "reconnect", 500 for an unreadable secret, 502 for a provider refusing a refresh.</summary>
    static RouteHandlerBuilder ProducesFetchErrors(this RouteHandlerBuilder builder) => builder
        .Produces<DescopeError>(StatusCodes.Status404NotFound)
        .Produces<DescopeError>(StatusCodes.Status500InternalServerError)
        .Produces<DescopeError>(StatusCodes.Status502BadGateway);
}
