using System.Security.Cryptography;
using System.Text;

namespace OutboundVault.Connect;

/// <summary>
/// What every page the vault shows a browser has in common: one inline stylesheet, a Content Security
/// Policy that allows that stylesheet by its hash and nothing else (no scripts, images, fonts or frames),
/// and headers that keep the page out of caches, frames and Referer headers (its URL may carry a state).
/// Callers HTML-encode everything they put in the markup.
/// </summary>
static class HostedPage
{
    const string Style = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}" +
        "h1{font-size:1.4rem}code{background:#f2f2f2;padding:0 .25rem}" +
        "label{display:block;margin:1.5rem 0 .4rem;font-weight:600}" +
        "input[type=password]{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #999;border-radius:4px}" +
        "button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit;border:0;border-radius:4px;background:#1f5fbf;color:#fff;cursor:pointer}" +
        ".error{color:#a40000;font-weight:600}.description{color:#555}";

    static readonly string StyleSource = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'";

    /// <summary>The policy of a page; <paramref name="formAction"/> lists where its form may submit and redirect to ('none' without a form).</summary>
    public static string ContentSecurityPolicy(string formAction = "'none'") =>
        $"default-src 'none'; style-src {StyleSource}; base-uri 'none'; form-action {formAction}; frame-ancestors 'none'";

    /// <summary>The headers every response of a hosted route carries, redirects included.</summary>
    public static void SetPrivacyHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    public static async Task WriteAsync(HttpContext httpContext, int status, string contentSecurityPolicy, string html)
    {
        var response = httpContext.Response;
        SetPrivacyHeaders(response);
        response.StatusCode = status;
        response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(html, httpContext.RequestAborted);
    }

    /// <param name="title">Plain text the caller has encoded.</param>
    /// <param name="body">Markup the caller has built from encoded values.</param>
    public static string Html(string title, string body) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title}</title><style>{Style}</style></head>
        <body><h1>{title}</h1>{body}</body></html>
        """;
}
