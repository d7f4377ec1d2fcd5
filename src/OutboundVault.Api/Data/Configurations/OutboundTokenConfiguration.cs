using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Apps;
using OutboundVault.Tokens;

namespace OutboundVault.Data.Configurations;

sealed class OutboundTokenConfiguration : IEntityTypeConfiguration<OutboundToken>
{
    public void Configure(EntityTypeBuilder<OutboundToken> token)
    {
        token.ToTable("outbound_tokens");
        token.HasKey(t => t.Id);
        token.Property(t => t.Id).HasMaxLength(AppLimits.IdLength);
        token.Property(t => t.AppId).HasMaxLength(AppLimits.IdLength);
        token.Property(t => t.UserId).HasMaxLength(AppLimits.OwnerIdLength);
        token.Property(t => t.TenantId).HasMaxLength(AppLimits.OwnerIdLength);
        token.Property(t => t.Kind).HasMaxLength(16);
        token.Property(t => t.Status).HasMaxLength(32);
        token.Property(t => t.KeyId).HasMaxLength(64);
        token.Property(t => t.Scopes).HasJsonConversion();
        token.Property(t => t.Version).IsConcurrencyToken();
        token.HasOne<OutboundApp>().WithMany().HasForeignKey(t => t.AppId).OnDelete(DeleteBehavior.Cascade);
        // The fetch path: an owner's tokens for an app, newest first.
        token.HasIndex(t => new { t.AppId, t.UserId, t.TenantId, t.UpdatedAt });
        // apps-with-user-token and delete-by-user.
        token.HasIndex(t => new { t.UserId, t.TenantId });
        // The refresh worker: valid tokens ordered by expiry.
        token.HasIndex(t => new { t.Status, t.AccessTokenExpiresAt });
        token.HasIndex(t => t.KeyId);
    }
}
