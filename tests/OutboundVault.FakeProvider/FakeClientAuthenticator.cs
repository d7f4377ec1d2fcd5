using System.Net;
using System.Text;

namespace OutboundVault.FakeProvider;

/// <summary>Checks token/revocation endpoint client authentication the way RFC 6749 §2.3.1 describes.</summary>
static class FakeClientAuthenticator
{
    /// <summary>The authenticated client id, or null (answer 401 invalid_client).</summary>
    public static string? Authenticate(HttpRequest request, IReadOnlyDictionary<string, string> form, FakeOAuthProvider fake)
    {
        var options = fake.Options;
        FakeClientAuth method;
        string? clientId;
        string? secret;
        if (TryReadBasic(request, out var basicId, out var basicSecret))
        {
            // Two authentication methods in one request is invalid (RFC 6749 §2.3).
            if (form.ContainsKey("client_secret"))
            {
                return null;
            }

            (method, clientId, secret) = (FakeClientAuth.ClientSecretBasic, basicId, basicSecret);
            if (form.TryGetValue("client_id", out var bodyId) && bodyId != clientId)
            {
                return null;
            }
        }
        else if (form.TryGetValue("client_secret", out var postSecret))
        {
            (method, clientId, secret) = (FakeClientAuth.ClientSecretPost, form.GetValueOrDefault("client_id"), postSecret);
        }
        else
        {
            (method, clientId, secret) = (FakeClientAuth.None, form.GetValueOrDefault("client_id"), null);
        }

        // A registered client authenticates exactly the way it registered (RFC 7591 token_endpoint_auth_method).
        if (fake.Clients.Find(clientId) is { } registered)
        {
            return method == registered.AuthMethod && (method == FakeClientAuth.None || secret == registered.ClientSecret)
                ? clientId
                : null;
        }

        if (options.ExpectedClientAuth is { } expected && expected != method)
        {
            return null;
        }

        if (clientId != options.ClientId)
        {
            return null;
        }

        var secretOk = method == FakeClientAuth.None
            ? options.ClientSecret is null || options.ExpectedClientAuth == FakeClientAuth.None
            : options.ClientSecret is null || secret == options.ClientSecret;
        return secretOk ? clientId : null;
    }

    static bool TryReadBasic(HttpRequest request, out string? clientId, out string? secret)
    {
        (clientId, secret) = (null, null);
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                // Both halves are form-url-encoded before base64 (RFC 6749 §2.3.1).
                clientId = WebUtility.UrlDecode(decoded[..colon]);
                secret = WebUtility.UrlDecode(decoded[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Malformed header: treated as Basic with no credentials, so authentication fails.
        }

        return true;
    }
}
