using Microsoft.IdentityModel.JsonWebTokens;

namespace OutboundVault.Tokens;

/// <summary>Reads an uploaded id_token's subject. Not validated: the caller holds a management key.</summary>
static class IdTokens
{
    public static string? Subject(string? idToken)
    {
        if (string.IsNullOrEmpty(idToken)) return null;
        try
        {
            var jwt = new JsonWebToken(idToken);
            return jwt.TryGetPayloadValue<string>("sub", out var sub) && !string.IsNullOrEmpty(sub) ? sub : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
