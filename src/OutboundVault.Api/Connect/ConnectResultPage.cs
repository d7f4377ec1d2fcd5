using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace OutboundVault.Connect;

/// <summary>
/// What the browser gets at the end of a callback: a redirect to the connect's redirect URL with
/// <see cref="ConnectMarkers"/>, or, when there is none, a small page of static text. Everything shown
/// is HTML-encoded, the page loads nothing and runs nothing (CSP), and no response of the callback
/// sends a Referer to where it leads (the callback URL carries the code).
/// </summary>
internal sealed class ConnectResultPage(ConnectOutcome outcome) : IResult
{
    const string Style = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}" +
        "h1{font-size:1.4rem}code{background:#f2f2f2;padding:0 .25rem}";

    // The inline style is allowed by its hash, so the policy can refuse every other source.
    static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        if (outcome.RedirectUrl is { } redirectUrl)
        {
            response.StatusCode = StatusCodes.Status302Found;
            response.Headers.Location = ConnectMarkers.AddTo(redirectUrl, outcome);
            return;
        }
        response.StatusCode = outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Render(outcome), httpContext.RequestAborted);
    }

    internal static string Render(ConnectOutcome outcome)
    {
        var html = HtmlEncoder.Default;
        var (title, body) = outcome.Succeeded
            ? ("Connected", "<p>The connection is complete. You can close this window.</p>")
            : ("Connection failed",
                $"<p>{html.Encode(outcome.ErrorDescription ?? "")}</p><p>Error: <code>{html.Encode(outcome.ErrorCode ?? "")}</code></p>");
        var app = outcome.AppId is null ? "" : $"<p>App: <code>{html.Encode(outcome.AppId)}</code></p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title><style>{Style}</style></head>
            <body><h1>{title}</h1>{body}{app}</body></html>
            """;
    }
}
