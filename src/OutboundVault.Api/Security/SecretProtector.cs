using System.Security.Cryptography;
using System.Text;
using OutboundVault.Errors;

namespace OutboundVault.Security;

/// <summary>
/// Seals secrets with AES-256-GCM in a versioned envelope <c>v2:{keyId}:{base64(nonce|ciphertext|tag)}</c>.
/// The associated data names the row and column a secret belongs to, so ciphertext copied to another
/// row, owner or column fails to open instead of handing out someone else's secret. <c>v1</c> envelopes
/// (tokens bound to app, owner and column, not to their row) still open; the re-encrypt command reseals them.
/// </summary>
sealed class SecretProtector(KeyRing ring, ILogger<SecretProtector> logger)
{
    const string Version = "v2", LegacyVersion = "v1";
    const int NonceSize = 12, TagSize = 16;

    public string PrimaryKeyId => ring.PrimaryId;

    public string Protect(string plaintext, SecretContext context)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(ring.Primary, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), context.Bytes);
        return $"{Version}:{ring.PrimaryId}:{Convert.ToBase64String(sealedBytes)}";
    }

    public string? ProtectOptional(string? plaintext, SecretContext context) =>
        string.IsNullOrEmpty(plaintext) ? null : Protect(plaintext, context);

    public string? UnprotectOptional(string? envelope, SecretContext context) =>
        envelope is null ? null : Unprotect(envelope, context);

    /// <summary>Opens an envelope or fails closed with <see cref="VaultError.SecretUnreadable"/>.</summary>
    public string Unprotect(string envelope, SecretContext context)
    {
        var parts = envelope.Split(':', 3);
        if (parts.Length != 3 || (parts[0] != Version && parts[0] != LegacyVersion)) throw Unreadable(context, "unknown envelope format");
        var associatedData = parts[0] == Version ? context.Bytes : context.LegacyBytes;
        var key = ring.Find(parts[1]) ?? throw Unreadable(context, $"key '{parts[1]}' is not in the key ring");
        byte[] sealedBytes;
        try { sealedBytes = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw Unreadable(context, "envelope is not base64"); }
        if (sealedBytes.Length < NonceSize + TagSize) throw Unreadable(context, "envelope is truncated");
        var cipherLength = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, cipherLength),
                sealedBytes.AsSpan(NonceSize + cipherLength), plain, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Unreadable(context, "authentication failed (tampered, or moved from another row)");
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The key id an envelope was sealed with, or null when it is not an envelope.</summary>
    public static string? KeyIdOf(string? envelope) =>
        envelope?.Split(':', 3) is [Version or LegacyVersion, var keyId, _] ? keyId : null;

    /// <summary>Sealed the way <see cref="Protect"/> seals today: the current envelope version, under the primary key.</summary>
    public bool IsCurrent(string? envelope) =>
        envelope?.Split(':', 3) is [Version, var keyId, _] && keyId == ring.PrimaryId;

    VaultException Unreadable(SecretContext context, string reason)
    {
        logger.LogError("Secret {SecretContext} could not be decrypted: {Reason}", context.Describe(), reason);
        return new VaultException(VaultError.SecretUnreadable,
            $"A stored secret ({context.Column}) could not be decrypted; it may have been tampered with or its key is missing");
    }
}
