using System.Text.Encodings.Web;
using OutboundVault.Apps;

namespace OutboundVault.Connect;

/// <summary>
/// The hosted form where a user types an API key: the app's name and description, a password field and the
/// state in a hidden field, posted back to the same path. The key is never written into the page (not even
/// when the form is shown again with an error). Form submissions may go to the vault itself and, because the
/// answer to a successful POST is a redirect there, to the origin of the connect's redirect URL.
/// </summary>
sealed class ApiKeyFormPage(OutboundApp app, string state, string? redirectUrl, string? error) : IResult
{
    public const string StateField = "state";
    public const string ApiKeyField = "apiKey";

    public Task ExecuteAsync(HttpContext httpContext) =>
        HostedPage.WriteAsync(httpContext, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
            HostedPage.ContentSecurityPolicy(FormAction(redirectUrl)), Render());

    internal string Render()
    {
        var html = HtmlEncoder.Default;
        var title = "Connect " + html.Encode(app.Name);
        var description = string.IsNullOrWhiteSpace(app.Description) ? "" : $"<p class=\"description\">{html.Encode(app.Description)}</p>";
        var message = error is null ? "" : $"<p class=\"error\" role=\"alert\">{html.Encode(error)}</p>";
        // "apikey" is relative to the page (…/v1/outbound/apikey?state=…): the POST goes to the same path, behind
        // any path base, without the state in its URL.
        var form = $"""
            {description}<p>Enter the API key to use with <strong>{html.Encode(app.Name)}</strong>. It is stored encrypted and never shown again.</p>
            <form method="post" action="apikey" autocomplete="off">
            <input type="hidden" name="{StateField}" value="{html.Encode(state)}">
            <label for="{ApiKeyField}">API key</label>
            <input type="password" id="{ApiKeyField}" name="{ApiKeyField}" required maxlength="{AppLimits.SecretLength}" autocomplete="off" spellcheck="false" autofocus>
            {message}<button type="submit">Save key</button>
            </form>
            """;
        return HostedPage.Html(title, form);
    }

    /// <summary>'self', plus the redirect URL's origin: browsers apply form-action to the redirect that follows a submission.</summary>
    static string FormAction(string? redirectUrl)
    {
        if (!Uri.TryCreate(redirectUrl, UriKind.Absolute, out var uri)) return "'self'";
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return $"'self' {uri.Scheme}://{host}{port}";
    }
}
