using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;

namespace OutboundVault.Security;

/// <summary>
/// Loads the accepted management credentials. With no key configured, the first start generates a
/// project id and one key, keeps only the key's hash in the database (so every instance accepts it),
/// prints the plaintext once and writes it to <c>DataDirectory/initial-management-key</c> (0600).
/// </summary>
sealed class ManagementKeyBootstrap(
    VaultDbContext db, ManagementCredentials credentials, ManagementKeys keys, Microsoft.Extensions.Options.IOptions<ManagementOptions> options,
    Microsoft.Extensions.Options.IOptions<DatabaseOptions> database, ILogger<ManagementKeyBootstrap> logger)
{
    public const string KeyFileName = "initial-management-key";

    public async Task RunAsync(CancellationToken ct)
    {
        var configured = options.Value.ConfiguredKeys().ToList();
        var configuredAdmin = configured.Any(k => k.Key.IsAdmin);
        var record = await db.ManagementKeys.AsNoTracking().SingleOrDefaultAsync(r => r.Id == ManagementKeyRecord.InitialId, ct);
        string? generatedKey = null;
        if (record is null || (!configuredAdmin && record.KeyHash is null))
        {
            generatedKey = configuredAdmin ? null : RandomIds.New("", 48);
            record = await SaveAsync(record, generatedKey, ct);
        }
        var projectId = string.IsNullOrWhiteSpace(options.Value.ProjectId) ? record.ProjectId : options.Value.ProjectId.Trim();
        credentials.Load(projectId, configured);
        await keys.ReloadAsync(ct);
        if (generatedKey is not null && record.KeyHash == ManagementCredentials.Hash(generatedKey)) Announce(projectId, generatedKey);
    }

    async Task<ManagementKeyRecord> SaveAsync(ManagementKeyRecord? existing, string? key, CancellationToken ct)
    {
        var record = existing ?? new ManagementKeyRecord
        {
            ProjectId = options.Value.ProjectId?.Trim() is { Length: > 0 } configured ? configured : RandomIds.New("P", 27),
            CreatedAt = DateTime.UtcNow,
        };
        record.KeyHash = key is null ? null : ManagementCredentials.Hash(key);
        if (existing is null) db.ManagementKeys.Add(record); else db.ManagementKeys.Update(record);
        try
        {
            await db.SaveChangesAsync(ct);
            return record;
        }
        catch (DbUpdateException)
        {
            // Another instance started at the same moment and won: use its record.
            db.ChangeTracker.Clear();
            return await db.ManagementKeys.AsNoTracking().SingleAsync(r => r.Id == ManagementKeyRecord.InitialId, ct);
        }
    }

    void Announce(string projectId, string key)
    {
        var dataDirectory = database.Value.DataDirectory;
        PrivateFile.EnsureDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFileName);
        File.Delete(path);
        PrivateFile.Write(path, $"{projectId}:{key}\n");
        // Printed once, on purpose, to the console rather than the log pipeline: it is the operator's only copy.
        Console.WriteLine($"""

            OutboundVault generated a management key (shown once; also written to {path}, read it and delete it):
              Authorization: Bearer {projectId}:{key}

            """);
        logger.LogWarning("Generated a management key for project {ProjectId}; its plaintext is in {KeyFile}", projectId, path);
    }
}
