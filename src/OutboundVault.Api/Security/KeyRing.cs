using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace OutboundVault.Security;

/// <summary>The AES-256 keys the vault can open, by id. New secrets are sealed with the primary.</summary>
sealed partial class KeyRing
{
    readonly Dictionary<string, byte[]> keys;

    public KeyRing(IReadOnlyList<(string Id, byte[] Key)> entries)
    {
        if (entries.Count == 0) throw new InvalidOperationException("The encryption key ring is empty.");
        keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in entries)
        {
            if (!keys.TryAdd(id, key)) throw new InvalidOperationException($"Encryption key id '{id}' is configured twice.");
        }
        PrimaryId = entries[0].Id;
    }

    public string PrimaryId { get; }
    public IReadOnlyCollection<string> KeyIds => keys.Keys;
    public bool Contains(string keyId) => keys.ContainsKey(keyId);
    internal byte[] Primary => keys[PrimaryId];
    internal byte[]? Find(string keyId) => keys.GetValueOrDefault(keyId);

    /// <summary>Parses <c>keyId:base64</c>; the message names the entry by position, never its value.</summary>
    public static (string Id, byte[] Key) Parse(string entry, int position)
    {
        var separator = entry.IndexOf(':', StringComparison.Ordinal);
        var id = separator > 0 ? entry[..separator] : "";
        if (!KeyIdPattern().IsMatch(id))
            throw new InvalidOperationException($"Encryption:Keys:{position} must be '<keyId>:<base64 of 32 bytes>' with a key id of letters, digits, '-' or '_'.");
        byte[] key;
        try { key = Convert.FromBase64String(entry[(separator + 1)..]); }
        catch (FormatException) { throw new InvalidOperationException($"Encryption:Keys:{position} ('{id}') is not valid base64."); }
        if (key.Length != 32) throw new InvalidOperationException($"Encryption:Keys:{position} ('{id}') must be 32 bytes, not {key.Length}.");
        return (id, key);
    }

    public static string Format(string id, byte[] key) => $"{id}:{Convert.ToBase64String(key)}";

    public static string NewEntry() => Format($"k{DateTime.UtcNow:yyyyMMdd}{RandomNumberGenerator.GetHexString(6, lowercase: true)}", RandomNumberGenerator.GetBytes(32));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex KeyIdPattern();
}
