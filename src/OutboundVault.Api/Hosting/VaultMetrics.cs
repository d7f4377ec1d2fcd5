using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OutboundVault.Data;
using OutboundVault.Refresh;
using OutboundVault.Tokens;

namespace OutboundVault.Hosting;

/// <summary>Section "Metrics": the Prometheus scrape endpoint <c>/metrics</c>, off by default (keep it off the public ingress).</summary>
sealed class MetricsOptions : Hosting.ISettings
{
    public static string SectionName => "Metrics";
    public bool Enabled { get; set; }

    public IEnumerable<string> Problems() => [];
}

/// <summary>
/// The numbers a person running the vault alerts on (README, "Metrics"): fetches and refreshes by outcome, connect
/// flows, the revocation queue and the tokens that need a reconnect (provider latency: <see cref="Providers.ProviderMetrics"/>).
/// The instruments cost nothing measurable while nobody listens, so they are always there.
/// </summary>
sealed class VaultMetrics
{
    public const string MeterName = "OutboundVault";
    static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(30);

    readonly Counter<long> fetches, refreshes, connects, webhooks;
    readonly IServiceScopeFactory scopes;
    readonly TimeProvider clock;
    long needsReconnect;
    DateTime countedAt = DateTime.MinValue;
    int counting;

    internal VaultMetrics(IMeterFactory meters, TokenRevocationQueue revocations, IServiceScopeFactory scopes, TimeProvider clock)
    {
        this.scopes = scopes;
        this.clock = clock;
        var meter = meters.Create(MeterName);
        fetches = meter.CreateCounter<long>("outboundvault.fetches", description: "Token fetches, by outcome (ok, or the error code answered)");
        refreshes = meter.CreateCounter<long>("outboundvault.refreshes", description: "Refreshes at the provider, by outcome (success, transient, invalid_grant, ...)");
        connects = meter.CreateCounter<long>("outboundvault.connects", description: "Connect flows, by stage (started, completed, failed)");
        webhooks = meter.CreateCounter<long>("outboundvault.webhook.deliveries", description: "Webhook delivery attempts, by outcome (delivered, failed, abandoned)");
        meter.CreateObservableGauge("outboundvault.revocation.queue", () => (long)revocations.Reader.Count, description: "Deleted tokens waiting for revocation");
        meter.CreateObservableGauge("outboundvault.tokens.needs_reconnect", NeedsReconnect, description: "Tokens whose owner must connect again");
    }

    internal void Fetched(string outcome) => fetches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Refreshed(string outcome) => refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void WebhookDelivered(string outcome) => webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Connect(string stage) => connects.Add(1, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>The last count (at most 30 s old): a scrape never waits for the database, it starts a recount.</summary>
    long NeedsReconnect()
    {
        if (clock.GetUtcNow().UtcDateTime - countedAt > CountEvery && Interlocked.Exchange(ref counting, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
                    Interlocked.Exchange(ref needsReconnect, await db.Tokens.LongCountAsync(t => t.Status == TokenStatuses.NeedsReconnect));
                    countedAt = clock.GetUtcNow().UtcDateTime;
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
                {
                    // The next scrape tries again.
                }
                finally
                {
                    Interlocked.Exchange(ref counting, 0);
                }
            });
        }
        return Interlocked.Read(ref needsReconnect);
    }
}

static class VaultMetricsSetup
{
    public static IServiceCollection AddVaultMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<MetricsOptions>();
        services.AddSingleton(sp => new VaultMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<TokenRevocationQueue>(),
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>()));
        if (configuration.GetValue<bool>($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}"))
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(VaultMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        }

        return services;
    }

    public static RouteGroupBuilder MapVaultMetrics(this RouteGroupBuilder routes)
    {
        if (((IEndpointRouteBuilder)routes).ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Enabled)
            routes.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
        return routes;
    }
}
