using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Refresh;

sealed record TokenRefreshRequest(string? Id);

/// <summary>The refreshed token's metadata: the management view never carries the secrets.</summary>
sealed record TokenRefreshResponse(TokenMetadata Token);

sealed class TokenRefreshRequestValidator : AbstractValidator<TokenRefreshRequest>
{
    public TokenRefreshRequestValidator() => RuleFor(r => r.Id).NotEmptyArgument("id").ValidId("id");
}

/// <summary>POST /v1/mgmt/outbound/token/refresh: the console's "refresh now" button.</summary>
static class RefreshEndpoints
{
    public static RouteGroupBuilder MapRefreshRoutes(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/token/refresh", RefreshNow).Validate<TokenRefreshRequest>()
            .WithName("RefreshToken")
            .WithSummary("Refresh a token at its provider now; answers its metadata (no secrets)")
            .Produces<DescopeError>(StatusCodes.Status404NotFound)
            .Produces<DescopeError>(StatusCodes.Status502BadGateway);
        return outbound;
    }

    static async Task<Ok<TokenRefreshResponse>> RefreshNow(TokenRefreshRequest request, VaultDbContext db, RefreshCoordinator coordinator, TimeProvider clock, CancellationToken ct)
    {
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == request.Id, ct)
            ?? throw VaultException.NotFound($"No token with id '{request.Id}'");
        if (token.Kind == TokenKinds.ApiKey) throw VaultException.Invalid($"Token '{token.Id}' is an API key; API keys are not refreshed");
        if (token.Status == TokenStatuses.NeedsReconnect) throw RefreshErrors.Reconnect(token);
        if (!token.HasRefreshToken) throw RefreshErrors.NothingToRefresh(token);

        var result = await coordinator.RefreshAsync(token.Id, token.Version, force: true, ct);
        // Unlike a fetch, the button asked for a refresh: a failure is the answer even while the old token is valid.
        var refreshed = RefreshErrors.TokenOrThrow(result, token, force: true, handsOutStored: false, clock.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(new TokenRefreshResponse(TokenMetadata.For(refreshed)));
    }
}
