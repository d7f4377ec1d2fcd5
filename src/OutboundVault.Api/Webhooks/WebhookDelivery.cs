using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OutboundVault.Data;
using OutboundVault.Providers;
using OutboundVault.Security;

namespace OutboundVault.Webhooks;

/// <summary>
/// Delivers the outbox, at least once, from every instance: each poll claims the messages due with a lease (like
/// refresh leases, so two instances never send one message at the same moment, and a dead instance's claims run
/// out), signs and posts them through the private-network guard, and marks them delivered or backs off.
/// </summary>
sealed class WebhookDelivery(
    IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<WebhookOptions> options, Hosting.VaultMetrics metrics,
    TimeProvider clock, ILogger<WebhookDelivery> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    const int BatchSize = 50;
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Endpoints.Count == 0) return;
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        try
        {
            do
            {
                try
                {
                    await DeliverDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or DbUpdateException)
                {
                    logger.LogWarning("Webhook delivery round failed ({ExceptionType}); trying again", ex.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task DeliverDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.WebhookMessages.AsNoTracking()
            .Where(m => m.DeliveredAt == null && m.AbandonedAt == null && m.NextAttemptAt <= now).Where(Leases.FreeAt<WebhookMessage>(now))
            .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(BatchSize).ToListAsync(ct);
        if (due.Count == 0) return;
        var claim = Leases.NewClaim();
        // The test sits on the UPDATE itself, so a message another instance claimed a moment ago is skipped.
        await db.WebhookMessages
            .Where(m => due.Contains(m.Id) && m.DeliveredAt == null).Where(Leases.FreeAt<WebhookMessage>(now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, claim).SetProperty(m => m.LeaseExpiresAt, now + Lease), ct);
        var claimed = await db.WebhookMessages.AsNoTracking().Where(m => m.LeaseOwner == claim).ToListAsync(ct);
        foreach (var message in claimed) await DeliverAsync(db, message, claim, ct);
    }

    async Task DeliverAsync(VaultDbContext db, WebhookMessage message, string claim, CancellationToken ct)
    {
        var endpoint = options.Value.Endpoints.FirstOrDefault(e => e.Url == message.Url);
        string? error = null;
        if (endpoint is null)
        {
            error = "the endpoint is no longer configured";
        }
        else
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, message.Url) { Content = new StringContent(message.Payload, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", message.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(endpoint.SecretBytes, message.Id, timestamp, message.Payload));
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
                if (!response.IsSuccessStatusCode) error = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                error = ex.InnerException is PrivateNetworkBlockedException blocked ? blocked.Message : $"could not reach the endpoint ({ex.HttpRequestError})";
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                error = "the endpoint did not answer in time";
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var mine = db.WebhookMessages.Where(m => m.Id == message.Id && m.LeaseOwner == claim);
        if (error is null)
        {
            await mine.ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, now).SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null).SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
            metrics.WebhookDelivered("delivered");
            return;
        }
        var attempts = message.Attempts + 1;
        var abandon = attempts >= options.Value.MaxAttempts;
        var backoff = TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryAfter.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 20))));
        await mine.ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.LastError, error)
            .SetProperty(m => m.NextAttemptAt, now + backoff).SetProperty(m => m.AbandonedAt, abandon ? now : null)
            .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), CancellationToken.None);
        metrics.WebhookDelivered(abandon ? "abandoned" : "failed");
        logger.LogWarning("Webhook {MessageId} ({EventType}) not delivered, attempt {Attempt}: {Reason}", message.Id, message.Type, attempts, error);
    }
}
