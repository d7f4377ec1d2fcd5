using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Apps;
using OutboundVault.Audit;

namespace OutboundVault.Data.Configurations;

sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> record)
    {
        record.ToTable("audit_records");
        record.HasKey(r => r.Id);
        record.Property(r => r.Actor).HasMaxLength(AppLimits.OwnerIdLength + 8);
        record.Property(r => r.Action).HasMaxLength(32);
        record.Property(r => r.AppId).HasMaxLength(AppLimits.IdLength);
        record.Property(r => r.UserId).HasMaxLength(AppLimits.OwnerIdLength);
        record.Property(r => r.TenantId).HasMaxLength(AppLimits.OwnerIdLength);
        record.Property(r => r.TokenId).HasMaxLength(AppLimits.IdLength);
        record.Property(r => r.Outcome).HasMaxLength(16);
        // The query "who read this user's token and when", and the retention sweep.
        record.HasIndex(r => new { r.AppId, r.UserId, r.Time });
        record.HasIndex(r => r.Time);
    }
}
