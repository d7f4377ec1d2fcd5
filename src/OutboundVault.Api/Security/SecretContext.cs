using System.Text;

namespace OutboundVault.Security;

/// <summary>
/// The associated data that binds a ciphertext to its place: the kind of row, the ids that own it, the row itself,
/// and the column. Parts are length-prefixed so no choice of ids can make two different places look alike.
/// </summary>
sealed class SecretContext
{
    readonly string[] parts;

    SecretContext(string column, string[] owners, string? rowId = null)
    {
        Column = column;
        parts = [.. owners, .. rowId is null ? [] : new[] { rowId }, column];
        Bytes = Encode(parts);
        // v1 envelopes of tokens were bound to app, owner and column only (README, "Rotating the encryption key").
        LegacyBytes = rowId is null ? Bytes : Encode([.. owners, column]);
    }

    public string Column { get; }

    /// <summary>The associated data of a v2 envelope: bound to the row.</summary>
    internal byte[] Bytes { get; }

    /// <summary>The associated data a v1 envelope was sealed with, readable until the re-encrypt command reseals it.</summary>
    internal byte[] LegacyBytes { get; }

    public static SecretContext AppClientSecret(string appId) => new("clientSecret", ["app", appId]);

    /// <summary>A token's secret: bound to its app, owner and row, so ciphertext moved between any two rows fails to open.</summary>
    public static SecretContext Token(string appId, string userId, string tenantId, string tokenId, string column) =>
        new(column, ["token", appId, userId, tenantId], tokenId);

    public static SecretContext PendingConnection(string stateHash, string column) =>
        new(column, ["connect", stateHash]);

    static byte[] Encode(IEnumerable<string> parts) => Encoding.UTF8.GetBytes(string.Concat(parts.Select(p => $"{p.Length}:{p};")));

    /// <summary>For logs: where the secret lives, never what it is.</summary>
    public string Describe() => string.Join('/', parts);
}
