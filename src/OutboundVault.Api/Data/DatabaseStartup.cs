using Microsoft.EntityFrameworkCore;
using OutboundVault.Security;

namespace OutboundVault.Data;

/// <summary>Brings the database to the current schema and refuses to start on secrets no key opens.</summary>
static class DatabaseStartup
{
    public static async Task MigrateAsync(VaultDbContext db, DatabaseOptions options, CancellationToken ct)
    {
        if (!options.IsPostgres)
        {
            PrivateFile.EnsureDirectory(options.DataDirectory);
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.EffectiveConnectionString).DataSource;
            PrivateFile.EnsureFile(file, create: true);
            foreach (var companion in new[] { "-wal", "-shm" }) PrivateFile.EnsureFile(file + companion, create: false);
            await db.Database.MigrateAsync(ct);
            // WAL lets readers proceed while a writer commits; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return;
        }
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// A database holding ciphertext sealed with a key that is not configured is a start-up error:
    /// starting anyway would fail every fetch of those secrets later, far from the cause.
    /// </summary>
    public static async Task CheckKeysAsync(VaultDbContext db, KeyRing ring, CancellationToken ct)
    {
        var tokenKeys = await db.Tokens.Select(t => t.KeyId).Distinct().ToListAsync(ct);
        var appSecrets = await db.Apps.Where(a => a.ClientSecretCipher != null).Select(a => a.ClientSecretCipher).ToListAsync(ct);
        var verifiers = await db.PendingConnections.Where(p => p.CodeVerifierCipher != null).Select(p => p.CodeVerifierCipher).ToListAsync(ct);
        var envelopeKeys = appSecrets.Concat(verifiers).Select(SecretProtector.KeyIdOf).OfType<string>();
        var missing = tokenKeys.Concat(envelopeKeys).Where(k => k.Length > 0 && !ring.Contains(k)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database holds secrets sealed with encryption key(s) {string.Join(", ", missing.Select(k => $"'{k}'"))} " +
                $"that are not in Encryption:Keys (configured: {string.Join(", ", ring.KeyIds.Select(k => $"'{k}'"))}). " +
                "Configure the missing key(s); new secrets are sealed with the first key.");
        }
    }
}
