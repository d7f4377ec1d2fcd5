using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Security;

namespace OutboundVault.Data.Configurations;

sealed class ManagementKeyConfiguration : IEntityTypeConfiguration<ManagementKeyRecord>
{
    public void Configure(EntityTypeBuilder<ManagementKeyRecord> key)
    {
        key.ToTable("management_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasMaxLength(32);
        key.Property(k => k.ProjectId).HasMaxLength(100);
        key.Property(k => k.KeyHash).HasMaxLength(64);
        key.Property(k => k.Role).HasMaxLength(16).HasDefaultValue(KeyRoles.Admin);
        key.Property(k => k.AppIds).HasJsonConversion();
    }
}
