using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OutboundVault.Providers;

/// <summary>Reads provider JSON answers leniently, the way real providers actually send them.</summary>
static partial class ProviderResponseReader
{
    /// <summary>Parses a JSON object; null for anything else (HTML error pages, form-encoded bodies, "not json").</summary>
    public static JsonDocument? TryParseObject(string body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The token answer, or null when it has no access_token.</summary>
    public static ProviderTokenResponse? ReadToken(JsonElement root)
    {
        var accessToken = ReadString(root, "access_token");
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        var idToken = NullIfEmpty(ReadString(root, "id_token"));
        return new ProviderTokenResponse
        {
            AccessToken = accessToken,
            TokenType = NullIfEmpty(ReadString(root, "token_type")) ?? "Bearer",
            ExpiresIn = ReadSeconds(root, "expires_in"),
            RefreshToken = NullIfEmpty(ReadString(root, "refresh_token")),
            Scope = ReadScope(root),
            IdToken = idToken,
            IdTokenSubject = ReadSubject(idToken),
        };
    }

    /// <summary>
    /// The OAuth "error" code, only when it looks like one: a provider that echoes request data into the
    /// field must not get a secret into exception messages through it.
    /// </summary>
    public static string? ReadErrorCode(JsonElement root) =>
        ReadString(root, "error") is { } error && ErrorCodePattern().IsMatch(error) ? error : null;

    public static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // expires_in arrives as a number, a fractional number or a numeric string depending on the provider.
    public static long? ReadSeconds(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        double seconds;
        if (value.ValueKind == JsonValueKind.Number)
        {
            seconds = value.GetDouble();
        }
        else if (value.ValueKind != JsonValueKind.String
                 || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
        {
            return null;
        }

        return seconds >= 0 && seconds < long.MaxValue ? (long)seconds : null;
    }

    // RFC 6749 says a space-separated string; a few providers send a JSON array instead.
    static string? ReadScope(JsonElement root)
    {
        if (!root.TryGetProperty("scope", out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join(' ', value.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.String)
                .Select(item => item.GetString())),
            _ => null,
        };
    }

    static string? ReadSubject(string? idToken)
    {
        if (idToken is null)
        {
            return null;
        }

        try
        {
            return new JsonWebToken(idToken).TryGetPayloadValue<string>("sub", out var subject)
                ? NullIfEmpty(subject)
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return null; // An unreadable id_token does not spoil the access token that came with it.
        }
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex ErrorCodePattern();
}
