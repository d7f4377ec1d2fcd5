using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Hosting;

/// <summary>The Prometheus scrape endpoint: fetches counted by outcome, the framework's HTTP metrics beside them.</summary>
public sealed class MetricsTests(MetricsTests.MetricsVault fixture) : IClassFixture<MetricsTests.MetricsVault>
{
    [SkippableFact]
    public async Task Fetches_are_counted_by_outcome_on_the_scrape_endpoint()
    {
        var api = new TokenApi(fixture.Management);
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "metered", accessToken = "a" });
        await api.Fetch("app/user/token/latest", new { appId = app, userId = "metered" });
        await api.Post("app/user/token/latest", new { appId = app, userId = "missing" });
        var scrape = "";

        await Eventually.TrueAsync(() =>
        {
            scrape = fixture.Vault.CreateClient().GetStringAsync("/metrics").GetAwaiter().GetResult();
            return scrape.Contains("outboundvault_fetches_total{", StringComparison.Ordinal);
        }, "the exporter publishes the counter");

        (scrape.Contains("outcome=\"ok\"", StringComparison.Ordinal), scrape.Contains("outcome=\"E081404\"", StringComparison.Ordinal),
            scrape.Contains("http_server_request_duration_seconds", StringComparison.Ordinal)).Should().Be((true, true, true));
    }

    [SkippableFact]
    public async Task Without_Metrics_Enabled_there_is_no_scrape_endpoint()
    {
        await using var plain = fixture.Start(new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });

        await (await plain.CreateClient().GetAsync("/metrics")).ShouldBeError(404, "E081404");
    }

    public sealed class MetricsVault() : VaultFixture(DatabaseKind.Sqlite)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" };
    }
}
