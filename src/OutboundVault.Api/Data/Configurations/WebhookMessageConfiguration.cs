using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OutboundVault.Apps;
using OutboundVault.Webhooks;

namespace OutboundVault.Data.Configurations;

sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<WebhookMessage>
{
    public void Configure(EntityTypeBuilder<WebhookMessage> message)
    {
        message.ToTable("webhook_messages");
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasMaxLength(32);
        message.Property(m => m.Url).HasMaxLength(AppLimits.UrlLength);
        message.Property(m => m.Type).HasMaxLength(32);
        message.Property(m => m.LeaseOwner).HasMaxLength(200);
        message.Property(m => m.LastError).HasMaxLength(500);
        // The delivery poll: undelivered messages by when they are due.
        message.HasIndex(m => new { m.DeliveredAt, m.NextAttemptAt });
    }
}
