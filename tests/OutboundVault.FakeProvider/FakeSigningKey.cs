using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OutboundVault.FakeProvider;

/// <summary>The fake's RS256 key: signs id_tokens and is published (public half only) at /jwks.</summary>
sealed class FakeSigningKey : IDisposable
{
    const string KeyId = "fake-provider-key";
    readonly RSA rsa = RSA.Create(2048);
    readonly JsonWebTokenHandler handler = new();

    public string CreateIdToken(string issuer, string audience, string subject) =>
        CreateToken(issuer, audience, subject, DateTime.UtcNow.AddHours(1));

    /// <summary>An RS256 JWT with this key; an <paramref name="expires"/> in the past makes an expired one.</summary>
    public string CreateToken(string issuer, string audience, string subject, DateTime expires, IReadOnlyDictionary<string, object>? claims = null)
    {
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject };
        var now = DateTime.UtcNow;
        var issuedAt = expires <= now ? expires.AddHours(-1) : now;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = all,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A JWKS document with the public parameters only.</summary>
    public object Jwks()
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = "RS256",
                    kid = KeyId,
                    n = Base64UrlEncoder.Encode(parameters.Modulus),
                    e = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        };
    }

    public void Dispose() => rsa.Dispose();
}
