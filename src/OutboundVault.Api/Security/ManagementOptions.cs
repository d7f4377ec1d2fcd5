namespace OutboundVault.Security;

/// <summary>Section "Management": the project id callers put before their key, and the keys it accepts from configuration.</summary>
sealed class ManagementOptions : Hosting.ISettings
{
    public static string SectionName => "Management";
    public string? ProjectId { get; set; }

    /// <summary>Admin keys.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Fetch keys: <c>&lt;key&gt;</c> for every app, or <c>&lt;key&gt;@&lt;appId&gt;,&lt;appId&gt;</c> for those apps.</summary>
    public List<string> FetchKeys { get; set; } = [];

    /// <summary>How often every instance reloads the keys in the database (and records when they were last used).</summary>
    public TimeSpan KeyRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every configured key with its hash and grant; the secrets themselves go no further.</summary>
    public IEnumerable<(string Hash, ManagementKey Key)> ConfiguredKeys()
    {
        var admin = Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToList();
        for (var i = 0; i < admin.Count; i++)
            yield return (ManagementCredentials.Hash(admin[i]), new ManagementKey($"{ManagementCredentials.ConfiguredPrefix}admin-{i}", KeyRoles.Admin, []));
        var fetch = FetchKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToList();
        for (var i = 0; i < fetch.Count; i++)
        {
            var separator = fetch[i].LastIndexOf('@');
            var (secret, apps) = separator > 0 ? (fetch[i][..separator], fetch[i][(separator + 1)..]) : (fetch[i], "");
            var appIds = apps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            yield return (ManagementCredentials.Hash(secret), new ManagementKey($"{ManagementCredentials.ConfiguredPrefix}fetch-{i}", KeyRoles.Fetch, appIds));
        }
    }

    public IEnumerable<string> Problems()
    {
        if (KeyRefresh <= TimeSpan.Zero) yield return "Management:KeyRefresh must be positive.";
    }
}
