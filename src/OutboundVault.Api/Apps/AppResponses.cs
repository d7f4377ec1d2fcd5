using OutboundVault.Connect;

namespace OutboundVault.Apps;

/// <summary>Shapes an app for the wire, with the callback URL this request's caller must register.</summary>
sealed class AppResponses(CallbackUris callbacks, IHttpContextAccessor http)
{
    public AppResponse For(OutboundApp app) => new(
        app.Id, app.Name, app.Description, app.ClientId, app.Logo, app.DiscoveryUrl, app.AuthorizationUrl,
        app.AuthorizationUrlParams, app.TokenUrl, app.TokenUrlParams, app.RevocationUrl, app.DefaultScopes,
        app.DefaultRedirectUrl, app.CallbackDomain, app.Pkce, app.AccessType, app.Prompt, app.UseDcr, app.DcrUrl,
        app.AppType, app.TenantId, app.TemplateId, app.TokenEndpointAuthMethod ?? "client_secret_post",
        app.ClientSecretCipher is not null, app.IsApiKey ? null : callbacks.For(app, http.HttpContext?.Request),
        new DateTimeOffset(app.CreatedAt).ToUnixTimeSeconds(), new DateTimeOffset(app.UpdatedAt).ToUnixTimeSeconds());
}
