using FluentValidation;
using OutboundVault.Apps;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>
/// Stores uploaded API keys and OAuth tokens (docs/contract.md rows 14–19) after checking that the app exists and is of the
/// matching kind. Batches are all or nothing: every item is checked first, then all are staged and
/// committed in one SaveChanges (one transaction).
/// </summary>
sealed class TokenUploader(TokenStore store, OutboundApps apps, ITokenRefresher refresher, TimeProvider clock)
{
    public async Task UploadApiKeyAsync(ApiKeyUpload upload, CancellationToken ct)
    {
        var app = await apps.GetAsync(upload.AppId!, ct);
        if (KindMismatch(app.Id, app.AppType, TokenKinds.ApiKey) is { } mismatch) throw VaultException.Invalid(mismatch);
        await store.SaveAsync(Grant.ApiKey(upload.AppId!, upload.Owner, upload.ApiKey!), ct);
    }

    public async Task UploadTokenAsync(TokenUpload upload, CancellationToken ct)
    {
        var app = await apps.GetAsync(upload.AppId!, ct);
        if (KindMismatch(app.Id, app.AppType, TokenKinds.OAuth) is { } mismatch) throw VaultException.Invalid(mismatch);
        var grant = ToGrant(upload, Now());
        // The provider may rotate the uploaded refresh token while verifying: store the pair it hands back.
        if (upload.VerifyRefresh == true) grant = await refresher.VerifyGrantAsync(grant, ct);
        await store.SaveAsync(grant, ct);
    }

    /// <returns>Every failing item; when there is any, nothing was written.</returns>
    public async Task<IReadOnlyList<UploadFailure>> UploadBatchAsync<T>(IReadOnlyList<T?> items, IValidator<T> validator, CancellationToken ct)
        where T : TokenUpload
    {
        var failures = new List<(int Index, UploadFailure Failure)>();
        var valid = new List<(int Index, T Item)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                failures.Add((i, new UploadFailure("", null, null, VaultError.MissingArgument.Code, $"tokens[{i}] is null")));
                continue;
            }
            var result = await validator.ValidateAsync(item, ct);
            if (result.IsValid)
            {
                valid.Add((i, item));
                continue;
            }
            var first = result.Errors[0];
            failures.Add((i, Failure(item, i, ValidationFilterExtensions.ErrorFor(first), first.ErrorMessage)));
        }

        var appIds = valid.Select(v => v.Item.AppId!).Distinct(StringComparer.Ordinal).ToList();
        var appTypes = await apps.TypesAsync(appIds, ct);
        foreach (var (index, item) in valid)
        {
            if (!appTypes.TryGetValue(item.AppId!, out var appType))
                failures.Add((index, Failure(item, index, VaultError.NotFound, OutboundApps.NotFound(item.AppId!).Message)));
            else if (KindMismatch(item.AppId!, appType, TokenKinds.OAuth) is { } mismatch)
                failures.Add((index, Failure(item, index, VaultError.InvalidRequest, mismatch)));
        }
        if (failures.Count > 0) return failures.OrderBy(f => f.Index).Select(f => f.Failure).ToList();

        var now = Now();
        await store.SaveManyAsync(valid.Select(v => ToGrant(v.Item, now)).ToList(), ct);
        return [];
    }

    static UploadFailure Failure(TokenUpload item, int index, VaultError error, string reason)
    {
        var (userId, tenantId) = item.OwnerIds;
        return new UploadFailure(item.AppId ?? "", userId, tenantId, error.Code, $"tokens[{index}]: {reason}");
    }

    DateTime Now() => clock.GetUtcNow().UtcDateTime;

    /// <summary>API keys go to API-key apps and OAuth tokens to OAuth apps; anything else is a caller's mix-up.</summary>
    static string? KindMismatch(string appId, string appType, string kind) => (appType, kind) switch
    {
        (AppTypes.ApiKey, TokenKinds.OAuth) =>
            $"App '{appId}' is an API-key app: upload its keys with /v1/mgmt/outbound/app/user/apikey/upload or /v1/mgmt/outbound/app/tenant/apikey/upload",
        (AppTypes.OAuth, TokenKinds.ApiKey) =>
            $"App '{appId}' is an OAuth app: upload its tokens with /v1/mgmt/outbound/app/user/oauthtoken/upload or /v1/mgmt/outbound/app/tenant/oauthtoken/upload (API keys need an app created with appType 'apikey')",
        _ => null,
    };

    /// <summary>
    /// An upload without an access token gets an expiry in the past, so the refresh engine obtains one at the
    /// first chance; with one, 0 or no expiry means unknown (refreshed only on forceRefresh).
    /// </summary>
    static Grant ToGrant(TokenUpload u, DateTime now) => new(
        u.AppId!,
        u.Owner,
        TokenKinds.OAuth,
        Arguments.NonEmpty(u.AccessToken),
        Arguments.NonEmpty(u.RefreshToken),
        Arguments.NonEmpty(u.AccessTokenType) ?? "Bearer",
        string.IsNullOrEmpty(u.AccessToken) ? DateTime.UnixEpoch : TokenExpiry.FromEpochSeconds(u.AccessTokenExpiry, now),
        Arguments.Scopes(u.Scopes),
        IdTokens.Subject(u.IdToken),
        Arguments.NonEmpty(u.GrantedBy),
        Arguments.NonEmpty(u.ExternalIdentifier));
}
