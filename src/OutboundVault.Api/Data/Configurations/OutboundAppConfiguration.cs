using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Apps;

namespace OutboundVault.Data.Configurations;

sealed class OutboundAppConfiguration : IEntityTypeConfiguration<OutboundApp>
{
    public void Configure(EntityTypeBuilder<OutboundApp> app)
    {
        app.ToTable("outbound_apps");
        app.HasKey(a => a.Id);
        app.Property(a => a.Id).HasMaxLength(AppLimits.IdLength);
        app.Property(a => a.Name).HasMaxLength(AppLimits.NameLength);
        app.Property(a => a.AppType).HasMaxLength(16);
        app.Property(a => a.AuthorizationUrlParams).HasJsonConversion();
        app.Property(a => a.TokenUrlParams).HasJsonConversion();
        app.Property(a => a.DefaultScopes).HasJsonConversion();
        app.Property(a => a.Prompt).HasJsonConversion();
        app.HasIndex(a => a.Name);
    }
}
