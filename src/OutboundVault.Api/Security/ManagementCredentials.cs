using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OutboundVault.Security;

/// <summary>A key the vault accepts: its id (never the secret), its role, and for a fetch key the apps it may use.</summary>
sealed record ManagementKey(string Id, string Role, IReadOnlyList<string> AppIds)
{
    public bool IsAdmin => Role == KeyRoles.Admin;

    /// <summary>Whether this key may use <paramref name="appId"/>'s tokens: admin keys and unrestricted fetch keys may use every app.</summary>
    public bool MayUse(string appId) => IsAdmin || AppIds.Count == 0 || AppIds.Contains(appId, StringComparer.Ordinal);

    /// <summary>The key a request authenticated with, or null for an access token (or nobody).</summary>
    public static ManagementKey? Of(System.Security.Claims.ClaimsPrincipal principal) =>
        principal.FindFirst(ManagementKeyAuthenticationHandler.KeyIdClaim) is { } id
            ? new ManagementKey(id.Value, principal.FindFirst(ManagementKeyAuthenticationHandler.RoleClaim)?.Value ?? KeyRoles.Admin,
                [.. principal.FindAll(ManagementKeyAuthenticationHandler.AppClaim).Select(c => c.Value)])
            : null;
}

/// <summary>
/// The project id and the accepted keys: those from configuration (<c>Management:Keys</c>, <c>Management:FetchKeys</c>)
/// and those in the database, which <see cref="ManagementKeyRefresher"/> reloads every few seconds so a key created
/// or revoked on any instance (or by the <c>keys</c> command) counts everywhere. Keys are compared by SHA-256 hash in
/// constant time: they are long random strings, so a fast hash is enough, and the comparison time says nothing
/// about how close a guess was.
/// </summary>
sealed class ManagementCredentials
{
    byte[] projectId = [];
    IReadOnlyList<(byte[] Hash, ManagementKey Key)> configured = [];
    volatile IReadOnlyList<(byte[] Hash, ManagementKey Key)> stored = [];
    readonly ConcurrentDictionary<string, DateTime> used = new(StringComparer.Ordinal);

    public string ProjectId { get; private set; } = "";

    /// <summary>Whether a key from configuration is an admin key (then the generated first key no longer counts).</summary>
    public bool HasConfiguredAdmin => configured.Any(k => k.Key.IsAdmin);

    internal void Load(string project, IEnumerable<(string Hash, ManagementKey Key)> fromConfiguration)
    {
        ProjectId = project;
        projectId = Encoding.UTF8.GetBytes(project);
        configured = fromConfiguration.Select(k => (Convert.FromHexString(k.Hash), k.Key)).ToList();
    }

    /// <summary>Replaces the keys read from the database (revoked ones are not passed in).</summary>
    internal void SetStored(IEnumerable<(string Hash, ManagementKey Key)> fromDatabase) =>
        stored = fromDatabase.Select(k => (Convert.FromHexString(k.Hash), k.Key)).ToList();

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="project"/> is this vault's project id, compared in constant time.</summary>
    public bool IsProject(string project) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(project), projectId);

    /// <summary>The key <paramref name="key"/> is, when <paramref name="project"/> is this vault's; every candidate is compared.</summary>
    public ManagementKey? Find(string project, string key)
    {
        var projectMatches = IsProject(project);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ManagementKey? found = null;
        foreach (var candidate in configured.Concat(stored))
            if (CryptographicOperations.FixedTimeEquals(hash, candidate.Hash)) found ??= candidate.Key;
        return projectMatches ? found : null;
    }

    /// <summary>Notes that a stored key was used; <see cref="ManagementKeyRefresher"/> writes it with its next reload.</summary>
    internal void MarkUsed(ManagementKey key, DateTime now)
    {
        if (!key.Id.StartsWith(ConfiguredPrefix, StringComparison.Ordinal)) used[key.Id] = now;
    }

    internal IReadOnlyDictionary<string, DateTime> TakeUsed()
    {
        var taken = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var id in used.Keys)
            if (used.TryRemove(id, out var at)) taken[id] = at;
        return taken;
    }

    /// <summary>Ids of keys from configuration: <c>config-admin-0</c>, <c>config-fetch-1</c>.</summary>
    public const string ConfiguredPrefix = "config-";
}
