using Microsoft.EntityFrameworkCore;
using OutboundVault.Apps;
using OutboundVault.Connect;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Data;

/// <summary>
/// The vault's one database context. Migrations are kept per provider in the two subclasses below;
/// to add one, see README ("Adding a migration"): <c>./scripts/add-migration.sh Name</c>.
/// </summary>
abstract class VaultDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutboundApp> Apps => Set<OutboundApp>();
    public DbSet<OutboundToken> Tokens => Set<OutboundToken>();
    public DbSet<PendingConnection> PendingConnections => Set<PendingConnection>();
    public DbSet<ManagementKeyRecord> ManagementKeys => Set<ManagementKeyRecord>();
    public DbSet<Audit.AuditRecord> Audit => Set<Audit.AuditRecord>();
    public DbSet<Webhooks.WebhookMessage> WebhookMessages => Set<Webhooks.WebhookMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VaultDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite hands DateTime back unspecified, so the kind is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

sealed class SqliteVaultDbContext(DbContextOptions<SqliteVaultDbContext> options) : VaultDbContext(options);

sealed class PostgresVaultDbContext(DbContextOptions<PostgresVaultDbContext> options) : VaultDbContext(options);
