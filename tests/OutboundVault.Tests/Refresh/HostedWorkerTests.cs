using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>The hosted loop itself, on the real clock: it sweeps on its own and stops promptly.</summary>
public sealed class HostedWorkerTests(SqliteRefreshVault fixture) : IClassFixture<SqliteRefreshVault>
{
    // The fixture's own vault keeps the hour-long interval; these hosts over the same database sweep often.
    WebApplicationFactory<Program> Sweeping() => fixture.Vault.WithWebHostBuilder(b => b
        .UseSetting("Refresh:Interval", "00:00:00.3")
        .UseSetting("Refresh:Jitter", "00:00:00"));

    [SkippableFact]
    public async Task The_worker_refreshes_a_due_token_without_anyone_fetching_it()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault);
        var token = await kit.SeedAsync(kit.Now.AddMinutes(2));
        var later = await kit.SeedAsync(kit.Now.AddMinutes(30));
        await using var sweeping = Sweeping();
        _ = sweeping.Server;

        for (var i = 0; i < 200 && (await kit.ReadAsync(token.Id)).LastRefreshAt is null; i++) await Task.Delay(50);

        var row = await kit.ReadAsync(token.Id);
        row.LastRefreshAt.Should().NotBeNull();
        kit.Secrets(row).Access.Should().NotBe(kit.Secrets(token).Access);
        (await kit.ReadAsync(later.Id)).LastRefreshAt.Should().BeNull();
        kit.Fake.RefreshCalls.Should().Be(1);
        // The sweep logs its counts after the row is committed, so the line may trail the row by a moment.
        var counts = new System.Text.RegularExpressions.Regex(@"Refresh sweep: \d+ due, 1 refreshed");
        await Eventually.TrueAsync(() => counts.IsMatch(fixture.Vault.Logs.All), "each iteration logs its counts");
    }

    [SkippableFact]
    public async Task Stopping_the_host_mid_refresh_is_prompt_and_releases_the_lease()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromSeconds(30) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(2));
        var sweeping = Sweeping();
        _ = sweeping.Server;
        for (var i = 0; i < 200 && kit.Fake.RefreshCalls == 0; i++) await Task.Delay(50);
        kit.Fake.RefreshCalls.Should().Be(1);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await sweeping.DisposeAsync();

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        var row = await kit.ReadAsync(token.Id);
        row.LeaseOwner.Should().BeNull("the interrupted refresh gave its claim back");
        kit.Secrets(row).Refresh.Should().Be(kit.Secrets(token).Refresh);
    }
}
