using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>The fetch path's and the upload's view of the refresh engine (see <see cref="ITokenRefresher"/>).</summary>
internal sealed class TokenRefresher(RefreshCoordinator coordinator, IServiceScopeFactory scopes, IOptions<RefreshOptions> options, TimeProvider clock)
    : ITokenRefresher
{
    public async Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        // API keys do not expire and cannot be refreshed; forceRefresh has nothing to do for them.
        if (token.Kind == TokenKinds.ApiKey) return token;
        var now = clock.GetUtcNow().UtcDateTime;
        if (token.Status == TokenStatuses.NeedsReconnect)
            return RefreshPolicy.IsStillWorking(token, now) && !force ? token : throw RefreshErrors.Reconnect(token);
        if (force && !token.HasRefreshToken) throw RefreshErrors.NothingToRefresh(token);
        if (!force && (!token.HasRefreshToken || !RefreshPolicy.IsDue(token, now, options.Value.MinValidity))) return token;

        var result = await coordinator.RefreshAsync(token.Id, token.Version, force, ct);
        if (result.Outcome == RefreshOutcome.Skipped) result = await coordinator.RefreshAsync(token.Id, token.Version, force, ct);
        return result.Outcome switch
        {
            RefreshOutcome.Refreshed or RefreshOutcome.Current => result.Token!,
            RefreshOutcome.NoRefreshToken when !force => result.Token!,
            RefreshOutcome.NoRefreshToken => throw RefreshErrors.NothingToRefresh(token),
            // The grant is dead, but its last access token may work a while longer: "reconnect" only once it has expired.
            RefreshOutcome.Dead when !force && result.Token is { } last && RefreshPolicy.IsStillWorking(last, clock.GetUtcNow().UtcDateTime) => last,
            RefreshOutcome.Dead => throw RefreshErrors.Reconnect(token),
            RefreshOutcome.Failed when result.Token is { } stored && RefreshPolicy.IsUsable(stored, clock.GetUtcNow().UtcDateTime) => stored,
            RefreshOutcome.Failed => throw RefreshErrors.Failed(token, result),
            _ => throw VaultException.NotFound($"Token '{token.Id}' was deleted while it was being refreshed"),
        };
    }

    public async Task<Grant> VerifyGrantAsync(Grant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind == TokenKinds.ApiKey) return grant;
        var refreshToken = grant.RefreshToken is { Length: > 0 } value ? value
            : throw VaultException.Missing("verifyRefresh needs a refreshToken to verify");
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var app = await services.GetRequiredService<VaultDbContext>().Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == grant.AppId, ct)
            ?? throw VaultException.NotFound($"No outbound app with id '{grant.AppId}'");
        ProviderTokenResponse response;
        try
        {
            response = await services.GetRequiredService<ProviderClient>()
                .RefreshAsync(app.ToProviderApp(services.GetRequiredService<SecretProtector>()), refreshToken, scopes: null, ct);
        }
        catch (ProviderException ex)
        {
            throw RefreshErrors.VerifyFailed(ex);
        }
        // The provider may have rotated the uploaded refresh token away just now: store what it answered.
        return grant with
        {
            AccessToken = response.AccessToken,
            RefreshToken = response.RefreshToken ?? refreshToken,
            TokenType = response.TokenType,
            ExpiresAt = RefreshPolicy.ExpiryFrom(response.ExpiresIn, clock.GetUtcNow().UtcDateTime),
            Scopes = response.Scopes.Count > 0 ? response.Scopes : grant.Scopes,
            TokenSub = response.IdTokenSubject ?? grant.TokenSub,
        };
    }
}
