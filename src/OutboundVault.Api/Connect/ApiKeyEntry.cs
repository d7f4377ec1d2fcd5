using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Connect;

/// <summary>
/// The hosted API-key page behind <see cref="ApiKeyPageEndpoints"/>. Showing the form only reads the pending
/// connection (browsers prefetch and users reload); submitting a usable key spends the state with the
/// connect flow's single-use consume and stores the key for the connection's owner, replacing their previous
/// key for the app. A key that cannot be used shows the form again and leaves the state usable.
/// </summary>
sealed class ApiKeyEntry(
    VaultDbContext db, Apps.OutboundApps apps, PendingConnections pending, TokenStore tokens, Webhooks.WebhookOutbox webhooks, ILogger<ApiKeyEntry> logger)
{
    public async Task<IResult> ShowAsync(string? state, CancellationToken ct)
    {
        var (connection, app, failure) = await OpenAsync(state, ct);
        return failure is null ? new ApiKeyFormPage(app!, state!, connection!.RedirectUrl, null) : Fail(failure);
    }

    public async Task<IResult> SubmitAsync(string? state, string? apiKey, CancellationToken ct)
    {
        var (connection, app, failure) = await OpenAsync(state, ct);
        if (failure is not null && failure.ErrorCode != ConnectErrors.ExpiredState) return Fail(failure);
        var key = apiKey?.Trim();
        if (failure is null && string.IsNullOrEmpty(key))
            return new ApiKeyFormPage(app!, state!, connection!.RedirectUrl, "Enter the API key.");
        if (failure is null && key!.Length > AppLimits.SecretLength)
            return new ApiKeyFormPage(app!, state!, connection!.RedirectUrl, $"The API key must be at most {AppLimits.SecretLength} characters.");

        // Spent either way; an expired connection is reported to the redirect URL, as the OAuth callback does.
        var (taken, row) = await pending.ConsumeAsync(ConnectSecrets.HashState(state!), ct);
        if (taken == PendingState.Expired) return Fail(ConnectOutcome.Failure(row, ConnectErrors.ExpiredState, ExpiredText));
        if (taken != PendingState.Taken) return Fail(new(null, null, ConnectErrors.InvalidState, UnknownText)); // another submission won

        var grant = Grant.ApiKey(row!.AppId, new TokenOwner(row.UserId, row.TenantId), key!, row.GrantedBy) with { ExternalIdentifier = row.ExternalIdentifier };
        var token = await tokens.SaveAsync(grant, ct,
            stored => webhooks.Stage(db, Webhooks.WebhookEvents.ConnectionCreated, Webhooks.WebhookData.Of(stored)));
        logger.LogInformation("API key stored through the hosted page for app {AppId}, {Owner}: token {TokenId}", row.AppId, grant.Owner, token.Id);
        return new ConnectResultPage(ConnectOutcome.Success(row));
    }

    const string UnknownText = "This connection is unknown or was already completed; start the connection again";
    const string ExpiredText = "The connection was not completed within 10 minutes; start it again";

    /// <summary>
    /// The open pending connection of a state and its API-key app, or why there is none. Failures carry no
    /// redirect URL: a page that was never shown a usable form has nothing to report back to the caller.
    /// </summary>
    async Task<(PendingConnection? Connection, OutboundApp? App, ConnectOutcome? Failure)> OpenAsync(string? state, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state)) return (null, null, new(null, null, ConnectErrors.InvalidState, "The link has no state; start the connection again"));
        var (found, connection) = await pending.PeekAsync(ConnectSecrets.HashState(state), ct);
        if (found == PendingState.Unknown) return (null, null, new(null, null, ConnectErrors.InvalidState, UnknownText));
        // An OAuth connect's state was sent to its provider: it must not open this page.
        if (!ApiKeyConnectStarter.StartedHere(connection!)) return (null, null, new(null, null, ConnectErrors.InvalidState, UnknownText));
        if (found == PendingState.Expired) return (connection, null, new(connection!.AppId, null, ConnectErrors.ExpiredState, ExpiredText));
        var app = await apps.FindAsync(connection!.AppId, ct);
        if (app is null || !app.IsApiKey)
            return (connection, null, new(connection!.AppId, null, ConnectErrors.InvalidState, "The app of this connection was deleted or no longer takes API keys"));
        return (connection, app, null);
    }

    ConnectResultPage Fail(ConnectOutcome outcome)
    {
        logger.LogWarning("API key page for app {AppId} failed: {ConnectError}", outcome.AppId ?? "(unknown)", outcome.ErrorCode);
        return new ConnectResultPage(outcome);
    }
}
