using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OutboundVault.Connect;

/// <summary>The random values of one authorization request: state and the PKCE pair (RFC 7636).</summary>
static class ConnectSecrets
{
    /// <summary>256 random bits, base64url (43 characters).</summary>
    public static string NewState() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>256 random bits, base64url: 43 characters from the unreserved set, the RFC 7636 minimum length.</summary>
    public static string NewCodeVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string S256Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>
    /// The database key for a state: SHA-256, lowercase hex (64 characters). The state itself is never
    /// stored, so a leaked table or backup cannot complete anyone's flow.
    /// </summary>
    public static string HashState(string state) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
