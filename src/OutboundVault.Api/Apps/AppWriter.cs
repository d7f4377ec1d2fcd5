using OutboundVault.Security;

namespace OutboundVault.Apps;

/// <summary>
/// Writes a validated request onto an app. Update replaces every field with what the body holds (absent
/// or null clears it, the SDKs' "update overrides all fields"), except the client secret, which a
/// missing or null value keeps, and the app kind, which only an explicit <c>appType</c> changes.
/// </summary>
static class AppWriter
{

    public static string NewId() => Security.RandomIds.New("OA", 26);

    public static void Apply(AppRequest request, OutboundApp app, SecretProtector protector, bool isCreate)
    {
        app.Name = request.Name!.Trim();
        app.Description = Text(request.Description);
        app.ClientId = Text(request.ClientId);
        app.Logo = Text(request.Logo);
        app.DiscoveryUrl = Text(request.DiscoveryUrl);
        app.AuthorizationUrl = Text(request.AuthorizationUrl);
        app.AuthorizationUrlParams = Params(request.AuthorizationUrlParams);
        app.TokenUrl = Text(request.TokenUrl);
        app.TokenUrlParams = Params(request.TokenUrlParams);
        app.RevocationUrl = Text(request.RevocationUrl);
        app.DefaultScopes = Strings(request.DefaultScopes);
        app.DefaultRedirectUrl = Text(request.DefaultRedirectUrl);
        app.CallbackDomain = Text(request.CallbackDomain);
        app.Pkce = request.Pkce ?? false;
        app.AccessType = Text(request.AccessType);
        app.Prompt = Strings(request.Prompt);
        app.UseDcr = request.UseDcr ?? false;
        app.DcrUrl = Text(request.DcrUrl);
        app.TenantId = Text(request.TenantId);
        app.TemplateId = Text(request.TemplateId);
        app.TokenEndpointAuthMethod = Text(request.TokenEndpointAuthMethod);
        if (Text(request.AppType) is { } explicitType) app.AppType = explicitType;
        else if (isCreate) app.AppType = app.AuthorizationUrl is null && app.TokenUrl is null && app.DiscoveryUrl is null ? AppTypes.ApiKey : AppTypes.OAuth;
        // null keeps the stored secret; "" clears it; any other string replaces it.
        if (request.ClientSecret is not null)
            app.ClientSecretCipher = protector.ProtectOptional(request.ClientSecret, SecretContext.AppClientSecret(app.Id));
    }

    /// <summary>
    /// The stored app as a request that <see cref="Apply"/> would write back unchanged (the secret absent, so kept),
    /// with the non-null fields of <paramref name="patch"/> laid over it: a partial update in the replace-all writer.
    /// </summary>
    public static AppRequest Patched(OutboundApp app, AppRequest patch)
    {
        var merged = new AppRequest
        {
            Id = app.Id, Name = app.Name, Description = app.Description, ClientId = app.ClientId, Logo = app.Logo,
            DiscoveryUrl = app.DiscoveryUrl, AuthorizationUrl = app.AuthorizationUrl,
            AuthorizationUrlParams = [.. app.AuthorizationUrlParams.Select(p => new UrlParamInput { Key = p.Key, Value = p.Value })],
            TokenUrl = app.TokenUrl,
            TokenUrlParams = [.. app.TokenUrlParams.Select(p => new UrlParamInput { Key = p.Key, Value = p.Value })],
            RevocationUrl = app.RevocationUrl, DefaultScopes = [.. app.DefaultScopes], DefaultRedirectUrl = app.DefaultRedirectUrl,
            CallbackDomain = app.CallbackDomain, Pkce = app.Pkce, AccessType = app.AccessType, Prompt = [.. app.Prompt],
            UseDcr = app.UseDcr, DcrUrl = app.DcrUrl, AppType = app.AppType, TenantId = app.TenantId, TemplateId = app.TemplateId,
            TokenEndpointAuthMethod = app.TokenEndpointAuthMethod,
        };
        foreach (var field in typeof(AppRequest).GetProperties())
        {
            if (field.CanWrite && field.GetValue(patch) is { } value) field.SetValue(merged, value);
        }
        return merged;
    }

    static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static List<string> Strings(List<string>? values) =>
        values?.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList() ?? [];

    static List<UrlParam> Params(List<UrlParamInput>? values) =>
        values?.Select(p => new UrlParam(p.EffectiveKey!.Trim(), p.Value ?? "")).ToList() ?? [];
}
