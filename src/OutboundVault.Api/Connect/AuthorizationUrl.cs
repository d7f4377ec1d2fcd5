using Microsoft.AspNetCore.WebUtilities;
using OutboundVault.Apps;

namespace OutboundVault.Connect;

/// <summary>The provider authorization URL of one connect (RFC 6749 §4.1.1, RFC 7636 §4.3).</summary>
static class AuthorizationUrl
{
    public static string Build(
        string authorizationEndpoint, OutboundApp app, string callbackUri, IReadOnlyList<string> scopes, string state, string? codeChallenge)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new("client_id", app.ClientId),
            new("redirect_uri", callbackUri),
        };
        if (scopes.Count > 0) query.Add(new("scope", string.Join(' ', scopes)));
        query.Add(new("state", state));
        if (codeChallenge is not null)
        {
            query.Add(new("code_challenge", codeChallenge));
            query.Add(new("code_challenge_method", "S256"));
        }
        if (app.AccessType is { } accessType) query.Add(new("access_type", accessType));
        if (app.Prompt.Count > 0) query.Add(new("prompt", string.Join(' ', app.Prompt)));
        // The app's own parameters fill in, but never replace what the protocol sets (state, redirect_uri, ...).
        foreach (var parameter in app.AuthorizationUrlParams)
        {
            if (!query.Exists(q => string.Equals(q.Key, parameter.Key, StringComparison.Ordinal)))
                query.Add(new(parameter.Key, parameter.Value));
        }
        return QueryHelpers.AddQueryString(authorizationEndpoint, query);
    }
}
