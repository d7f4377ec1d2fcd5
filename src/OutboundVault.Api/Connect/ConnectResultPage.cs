using System.Text.Encodings.Web;

namespace OutboundVault.Connect;

/// <summary>
/// What the browser gets at the end of a connect (the OAuth callback, or an API key submitted on the hosted
/// page): a redirect to the connect's redirect URL with <see cref="ConnectMarkers"/>, or, when there is none,
/// a small <see cref="HostedPage"/> of static text. No response sends a Referer to where it leads (the
/// callback URL carries the code).
/// </summary>
sealed class ConnectResultPage(ConnectOutcome outcome) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        if (outcome.RedirectUrl is { } redirectUrl)
        {
            HostedPage.SetPrivacyHeaders(response);
            // After a form POST, 303 tells the browser to GET the redirect URL (what it does with a 302 anyway).
            response.StatusCode = HttpMethods.IsPost(httpContext.Request.Method) ? StatusCodes.Status303SeeOther : StatusCodes.Status302Found;
            response.Headers.Location = ConnectMarkers.AddTo(redirectUrl, outcome);
            return;
        }
        await HostedPage.WriteAsync(httpContext, outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest,
            HostedPage.ContentSecurityPolicy(), Render(outcome));
    }

    internal static string Render(ConnectOutcome outcome)
    {
        var html = HtmlEncoder.Default;
        var (title, body) = outcome.Succeeded
            ? ("Connected", "<p>The connection is complete. You can close this window.</p>")
            : ("Connection failed",
                $"<p>{html.Encode(outcome.ErrorDescription ?? "")}</p><p>Error: <code>{html.Encode(outcome.ErrorCode ?? "")}</code></p>");
        var app = outcome.AppId is null ? "" : $"<p>App: <code>{html.Encode(outcome.AppId)}</code></p>";
        return HostedPage.Html(title, body + app);
    }
}
