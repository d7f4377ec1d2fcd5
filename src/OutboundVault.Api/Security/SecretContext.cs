using System.Text;

namespace OutboundVault.Security;

/// <summary>
/// The associated data that binds a ciphertext to its place: the kind of row, the ids that own it, and
/// the column. Parts are length-prefixed so no choice of ids can make two different places look alike.
/// </summary>
public sealed class SecretContext
{
    readonly string[] parts;

    SecretContext(string column, params string[] parts)
    {
        Column = column;
        this.parts = [.. parts, column];
        Bytes = Encoding.UTF8.GetBytes(string.Concat(this.parts.Select(p => $"{p.Length}:{p};")));
    }

    public string Column { get; }
    internal byte[] Bytes { get; }

    public static SecretContext AppClientSecret(string appId) => new("clientSecret", "app", appId);

    public static SecretContext Token(string appId, string userId, string tenantId, string column) =>
        new(column, "token", appId, userId, tenantId);

    public static SecretContext PendingConnection(string stateHash, string column) =>
        new(column, "connect", stateHash);

    /// <summary>For logs: where the secret lives, never what it is.</summary>
    public string Describe() => string.Join('/', parts);
}
