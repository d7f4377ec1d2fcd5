using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;

namespace OutboundVault.Security;

/// <summary>
/// Keys made at run time (the <c>/v1/mgmt/keys</c> routes and the <c>keys</c> command): created with a role and
/// optional apps, listed without secrets, revoked. Only the hash is stored; the cleartext is returned once.
/// </summary>
sealed class ManagementKeys(VaultDbContext db, ManagementCredentials credentials, TimeProvider clock, Audit.AuditLog audit)
{

    public async Task<(ManagementKeyRecord Key, string Cleartext)> CreateAsync(string role, IReadOnlyList<string> appIds, CancellationToken ct)
    {
        var cleartext = RandomIds.New("ovk_", 43);
        var record = new ManagementKeyRecord
        {
            Id = RandomIds.New("KY", 22),
            ProjectId = credentials.ProjectId,
            KeyHash = ManagementCredentials.Hash(cleartext),
            Role = role,
            AppIds = [.. appIds.Distinct(StringComparer.Ordinal)],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ManagementKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await ReloadAsync(ct);
        audit.Record(Audit.AuditActions.KeyCreate, appId: null, tokenId: record.Id);
        return (record, cleartext);
    }

    /// <summary>Keys in the database that are not revoked, oldest first.</summary>
    public Task<List<ManagementKeyRecord>> ListAsync(CancellationToken ct) =>
        db.ManagementKeys.AsNoTracking().Where(k => k.RevokedAt == null && k.KeyHash != null).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(ct);

    public async Task RevokeAsync(string id, CancellationToken ct)
    {
        var keys = await ListAsync(ct);
        var key = keys.SingleOrDefault(k => k.Id == id) ?? throw VaultException.NotFound($"No management key with id '{id}'");
        if (key.Role == KeyRoles.Admin && !credentials.HasConfiguredAdmin && keys.Count(k => k.Role == KeyRoles.Admin) == 1)
            throw VaultException.Invalid("This is the last admin key: create another admin key before revoking it");
        await db.ManagementKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, clock.GetUtcNow().UtcDateTime), ct);
        await ReloadAsync(ct);
        audit.Record(Audit.AuditActions.KeyRevoke, appId: null, tokenId: id);
    }

    /// <summary>
    /// Hands the database's keys to <see cref="ManagementCredentials"/>. The generated first key counts only while no
    /// admin key is configured (configured keys replace it, as they always have).
    /// </summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var keys = await ListAsync(ct);
        credentials.SetStored(keys
            .Where(k => k.Id != ManagementKeyRecord.InitialId || !credentials.HasConfiguredAdmin)
            .Select(k => (k.KeyHash!, new ManagementKey(k.Id, k.Role, k.AppIds))));
    }

    /// <summary>Writes when keys were last used, one statement per key that was.</summary>
    public async Task RecordUseAsync(IReadOnlyDictionary<string, DateTime> used, CancellationToken ct)
    {
        foreach (var (id, at) in used)
            await db.ManagementKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
    }
}

/// <summary>Every few seconds (<c>Management:KeyRefresh</c>): records which keys were used, then reloads the keys, on every instance.</summary>
sealed class ManagementKeyRefresher(
    IServiceScopeFactory scopes, ManagementCredentials credentials, Microsoft.Extensions.Options.IOptions<ManagementOptions> options,
    TimeProvider clock, ILogger<ManagementKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.KeyRefresh, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await RefreshAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await RefreshAsync(CancellationToken.None); // the last uses before the instance stops
    }

    async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var keys = scope.ServiceProvider.GetRequiredService<ManagementKeys>();
            await keys.RecordUseAsync(credentials.TakeUsed(), ct);
            await keys.ReloadAsync(ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning("Reloading the management keys failed ({ExceptionType}); the keys loaded before stay in force", ex.GetType().Name);
        }
    }
}
