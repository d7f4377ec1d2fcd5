using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Apps;
using OutboundVault.Connect;

namespace OutboundVault.Data.Configurations;

sealed class PendingConnectionConfiguration : IEntityTypeConfiguration<PendingConnection>
{
    public void Configure(EntityTypeBuilder<PendingConnection> pending)
    {
        pending.ToTable("pending_connections");
        pending.HasKey(p => p.StateHash);
        pending.Property(p => p.StateHash).HasMaxLength(64);
        pending.Property(p => p.BrowserBinding).HasMaxLength(64);
        pending.Property(p => p.AppId).HasMaxLength(AppLimits.IdLength);
        pending.Property(p => p.UserId).HasMaxLength(AppLimits.OwnerIdLength);
        pending.Property(p => p.TenantId).HasMaxLength(AppLimits.OwnerIdLength);
        pending.Property(p => p.Scopes).HasJsonConversion();
        pending.HasOne<OutboundApp>().WithMany().HasForeignKey(p => p.AppId).OnDelete(DeleteBehavior.Cascade);
        pending.HasIndex(p => p.ExpiresAt);
    }
}
