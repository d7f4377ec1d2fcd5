using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OutboundVault.Providers;

/// <summary>Applies an app's token endpoint client authentication to a form request (RFC 6749 §2.3.1).</summary>
static class ProviderClientAuthentication
{
    public static bool IsSupported(string? method) => Normalize(method) is not null;

    public static bool IsBasic(string? method) => Normalize(method) == ProviderApp.ClientSecretBasic;

    /// <summary>Adds credentials to <paramref name="form"/> or <paramref name="request"/>.</summary>
    public static void Apply(ProviderApp app, List<KeyValuePair<string, string>> form, HttpRequestMessage request)
    {
        switch (Normalize(app.TokenEndpointAuthMethod))
        {
            case ProviderApp.ClientSecretBasic:
                // Both parts are form-url-encoded before base64 (RFC 6749 §2.3.1), so a ':' in the id or
                // secret cannot shift the split. The client_id stays out of the body.
                var credentials = $"{WebUtility.UrlEncode(app.ClientId)}:{WebUtility.UrlEncode(app.ClientSecret ?? "")}";
                request.Headers.Authorization = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case ProviderApp.NoClientAuthentication:
                AddIfPresent(form, "client_id", app.ClientId);
                break;
            default:
                AddIfPresent(form, "client_id", app.ClientId);
                AddIfPresent(form, "client_secret", app.ClientSecret);
                break;
        }
    }

    /// <summary>The canonical method name, or null when unknown. Empty means the default (post).</summary>
    public static string? Normalize(string? method) => method?.Trim().ToUpperInvariant() switch
    {
        null or "" or "CLIENT_SECRET_POST" => ProviderApp.ClientSecretPost,
        "CLIENT_SECRET_BASIC" => ProviderApp.ClientSecretBasic,
        "NONE" => ProviderApp.NoClientAuthentication,
        _ => null,
    };

    static void AddIfPresent(List<KeyValuePair<string, string>> form, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            form.Add(new(name, value));
        }
    }
}
