namespace OutboundVault.Security;

enum Resealed { Reencrypted, AlreadyOnPrimary, Skipped, Unreadable }

/// <summary>What the re-encrypt command did to one table.</summary>
sealed class ReencryptCount(string table)
{
    public string Table { get; } = table;
    public int Reencrypted { get; private set; }
    public int AlreadyOnPrimary { get; private set; }
    /// <summary>Rows that kept changing (or a refresh held) while the command ran: run it again.</summary>
    public int Skipped { get; private set; }
    /// <summary>Rows no configured key opens (tampered, or moved between rows): left as they are.</summary>
    public int Unreadable { get; private set; }

    public void Add(Resealed outcome)
    {
        switch (outcome)
        {
            case Resealed.Reencrypted: Reencrypted++; break;
            case Resealed.AlreadyOnPrimary: AlreadyOnPrimary++; break;
            case Resealed.Skipped: Skipped++; break;
            default: Unreadable++; break;
        }
    }

    public override string ToString() =>
        $"{Table}: {Reencrypted} re-encrypted, {AlreadyOnPrimary} already on the primary key" +
        (Skipped > 0 ? $", {Skipped} skipped (changing or being refreshed: run the command again)" : "") +
        (Unreadable > 0 ? $", {Unreadable} unreadable (see the log; no configured key opens them)" : "");
}

/// <summary>The command's outcome, printed for the operator.</summary>
sealed record ReencryptReport(string PrimaryKeyId, IReadOnlyList<ReencryptCount> Tables, IReadOnlyList<string> KeysInUse)
{
    public bool Complete => Tables.All(t => t.Skipped == 0 && t.Unreadable == 0);

    public void WriteTo(TextWriter output)
    {
        output.WriteLine($"Re-encrypted stored secrets under the primary key '{PrimaryKeyId}':");
        foreach (var table in Tables) output.WriteLine($"  {table}");
        var removable = KeysInUse.Where(k => k != PrimaryKeyId).ToList();
        output.WriteLine(removable.Count == 0
            ? $"Every stored secret is sealed with '{PrimaryKeyId}': other keys may be removed from Encryption:Keys."
            : $"Keys still in use besides the primary: {string.Join(", ", removable.Select(k => $"'{k}'"))}. Keep them configured.");
    }
}
