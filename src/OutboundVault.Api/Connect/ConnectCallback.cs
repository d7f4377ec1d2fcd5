using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Providers;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Connect;

/// <summary>
/// GET /v1/outbound/oauth/callback: consumes the pending connection named by <c>state</c>, redeems the
/// code at the token endpoint and stores the grant. Every failure becomes a <see cref="ConnectOutcome"/>
/// and nothing is stored; the state is spent either way.
/// </summary>
sealed partial class ConnectCallback(
    VaultDbContext db, Apps.OutboundApps apps, PendingConnections pending, ProviderClient providers, SecretProtector protector, TokenStore tokens,
    TimeProvider clock, Hosting.VaultMetrics metrics, Webhooks.WebhookOutbox webhooks, ILogger<ConnectCallback> logger)
{
    const int MaxDescriptionLength = 300;

    public async Task<ConnectOutcome> CompleteAsync(HttpRequest request, CancellationToken ct)
    {
        var outcome = await RunAsync(request, ct);
        metrics.Connect(outcome.Succeeded ? "completed" : "failed");
        if (!outcome.Succeeded)
        {
            webhooks.Stage(db, Webhooks.WebhookEvents.ConnectionFailed, new Webhooks.WebhookData(outcome.AppId, Error: outcome.ErrorCode));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        if (!outcome.Succeeded)
            logger.LogWarning("Connect callback for app {AppId} failed: {ConnectError}", outcome.AppId ?? "(unknown)", outcome.ErrorCode);
        return outcome;
    }

    async Task<ConnectOutcome> RunAsync(HttpRequest request, CancellationToken ct)
    {
        var query = request.Query;
        if (Single(query, "state") is not { } state)
            return ConnectOutcome.Failure(null, ConnectErrors.InvalidState, "The provider sent the browser back without a state; start the connection again");
        var (found, row) = await pending.ConsumeAsync(ConnectSecrets.HashState(state), ct);
        if (found == PendingState.Unknown)
            return ConnectOutcome.Failure(null, ConnectErrors.InvalidState, "This connection is unknown or was already completed; start the connection again");
        if (found == PendingState.Expired)
            return ConnectOutcome.Failure(row, ConnectErrors.ExpiredState, "The connection was not completed within 10 minutes; start it again");
        var connection = row!;
        if (!BrowserBinding.Admits(connection, request))
        {
            return ConnectOutcome.Failure(connection, ConnectErrors.InvalidState,
                "This connection was started in another browser; open the connect link in the browser that completes it");
        }

        if (Single(query, "error") is { } error)
        {
            var code = OAuthErrorCode().IsMatch(error) ? error : ConnectErrors.AuthorizationFailed;
            return ConnectOutcome.Failure(connection, code, ProviderDescription(Single(query, "error_description"), code));
        }
        if (Single(query, "code") is not { } authorizationCode)
            return ConnectOutcome.Failure(connection, ConnectErrors.MissingCode, "The provider sent neither an authorization code nor an error");

        var app = await apps.FindAsync(connection.AppId, ct);
        if (app is null) return ConnectOutcome.Failure(connection, ConnectErrors.InvalidState, "The app of this connection was deleted");
        try
        {
            var verifier = protector.UnprotectOptional(connection.CodeVerifierCipher,
                SecretContext.PendingConnection(connection.StateHash, ConnectStarter.CodeVerifierColumn));
            var answer = await providers.ExchangeCodeAsync(apps.ToProviderApp(app), authorizationCode, connection.CallbackUri, verifier, ct);
            var token = await tokens.SaveAsync(ToGrant(connection, answer), ct,
                stored => webhooks.Stage(db, Webhooks.WebhookEvents.ConnectionCreated, Webhooks.WebhookData.Of(stored)));
            logger.LogInformation("Connect completed for app {AppId}, {Owner}: token {TokenId}", app.Id, new TokenOwner(connection.UserId, connection.TenantId), token.Id);
            return ConnectOutcome.Success(connection);
        }
        catch (ProviderException ex)
        {
            return ConnectOutcome.Failure(connection, ErrorCodeFor(ex), ex.Message);
        }
        catch (VaultException ex) when (ex.Error == VaultError.NotFound)
        {
            return ConnectOutcome.Failure(connection, ConnectErrors.InvalidState, "The app of this connection was deleted");
        }
        catch (VaultException ex)
        {
            return ConnectOutcome.Failure(connection, ConnectErrors.ServerError, ex.Message);
        }
    }

    Grant ToGrant(PendingConnection connection, ProviderTokenResponse answer)
    {
        return new Grant(connection.AppId, new TokenOwner(connection.UserId, connection.TenantId), TokenKinds.OAuth,
            answer.AccessToken, answer.RefreshToken, answer.TokenType,
            TokenExpiry.FromLifetime(answer.ExpiresIn, clock.GetUtcNow().UtcDateTime), answer.ScopesOr(connection.Scopes),
            answer.IdTokenSubject, connection.GrantedBy, connection.ExternalIdentifier);
    }

    static string ErrorCodeFor(ProviderException ex) => ex.Kind switch
    {
        ProviderFailureKind.InvalidGrant => ConnectErrors.InvalidGrant,
        ProviderFailureKind.Rejected => ConnectErrors.TokenRejected,
        ProviderFailureKind.Blocked => ConnectErrors.ProviderBlocked,
        ProviderFailureKind.Configuration => ConnectErrors.AppMisconfigured,
        _ => ConnectErrors.ProviderUnavailable,
    };

    /// <summary>The provider's own words, shortened and stripped of control characters; a plain default otherwise.</summary>
    static string ProviderDescription(string? description, string code)
    {
        if (string.IsNullOrWhiteSpace(description)) return code == "access_denied" ? "The user did not grant access" : "The provider refused the authorization";
        var clean = new string(description.Where(c => !char.IsControl(c)).Take(MaxDescriptionLength).ToArray()).Trim();
        return "The provider said: " + clean;
    }

    /// <summary>A query value that appears exactly once and is not empty.</summary>
    static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex OAuthErrorCode();
}
