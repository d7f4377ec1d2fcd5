namespace OutboundVault.Security;

/// <summary>
/// A management key kept in the database, so every instance accepts it: the generated first key
/// (<see cref="InitialId"/>, which also holds the project id) and keys created at run time. Only the key's hash is
/// stored; the plaintext is shown once, when the key is made.
/// </summary>
sealed class ManagementKeyRecord
{
    public const string InitialId = "initial";
    public string Id { get; set; } = InitialId;
    public string ProjectId { get; set; } = "";
    public string? KeyHash { get; set; }
    /// <summary><see cref="KeyRoles.Admin"/> or <see cref="KeyRoles.Fetch"/>.</summary>
    public string Role { get; set; } = KeyRoles.Admin;
    /// <summary>For a fetch key: the apps it may use; empty for all.</summary>
    public List<string> AppIds { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    /// <summary>Recorded a few seconds late, in batches: never a write on the request path.</summary>
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

static class KeyRoles
{
    /// <summary>Everything.</summary>
    public const string Admin = "admin";
    /// <summary>What an MCP server needs: fetch (docs/contract.md rows 7–10), list a user's apps (13), connect (20–21), the license.</summary>
    public const string Fetch = "fetch";

    public static readonly string[] All = [Admin, Fetch];
}
