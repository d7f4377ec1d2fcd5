using System.Diagnostics.Metrics;

namespace OutboundVault.Providers;

/// <summary>Provider call latency by app and operation, on the vault's meter (README, "Metrics").</summary>
sealed class ProviderMetrics
{
    readonly Histogram<double> calls;

    public ProviderMetrics(IMeterFactory meters) =>
        calls = meters.Create(Hosting.VaultMetrics.MeterName)
            .CreateHistogram<double>("outboundvault.provider.duration", unit: "s", description: "Provider call latency, by app and operation");

    internal void Record(string appId, ProviderOperation operation, TimeSpan elapsed) => calls.Record(elapsed.TotalSeconds,
        new KeyValuePair<string, object?>("app", appId), new KeyValuePair<string, object?>("operation", operation.ToString()));
}
