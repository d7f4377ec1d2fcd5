using System.Security.Cryptography;
using System.Text;

namespace OutboundVault.Security;

/// <summary>
/// The accepted project id and management-key hashes, loaded once at start-up. Keys are compared by
/// SHA-256 hash in constant time: they are long random strings, so a fast hash is enough, and the
/// comparison time says nothing about how close a guess was.
/// </summary>
public sealed class ManagementCredentials
{
    byte[] projectId = [];
    IReadOnlyList<byte[]> keyHashes = [];

    public string ProjectId { get; private set; } = "";

    internal void Load(string project, IEnumerable<string> hashes)
    {
        ProjectId = project;
        projectId = Encoding.UTF8.GetBytes(project);
        keyHashes = hashes.Select(Convert.FromHexString).ToList();
    }

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="project"/> is this vault's project id, compared in constant time.</summary>
    public bool IsProject(string project) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(project), projectId);

    public bool Accepts(string project, string key)
    {
        var projectMatches = IsProject(project);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var keyMatches = false;
        foreach (var candidate in keyHashes) keyMatches |= CryptographicOperations.FixedTimeEquals(hash, candidate);
        return projectMatches & keyMatches;
    }
}
