using OutboundVault.Refresh;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>The "Refresh" settings: defaults, back-off, and starts refused with a message naming the setting.</summary>
public sealed class RefreshOptionsTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-refresh-options-").FullName;

    [SkippableFact]
    public void Defaults_are_the_documented_ones()
    {
        var o = new RefreshOptions();
        (o.MinValidity, o.Margin, o.Interval, o.LeaseDuration).Should().Be(
            (TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));
        (o.BatchSize, o.MaxConcurrency, o.MaxAttempts, o.WorkerEnabled).Should().Be((100, 8, 10, true));
    }

    [SkippableFact]
    public void The_back_off_doubles_from_the_cooldown_up_to_its_cap()
    {
        var o = new RefreshOptions { FailureCooldown = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromMinutes(10) };
        Enumerable.Range(1, 7).Select(o.BackoffAfter).Should().Equal(
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240),
            TimeSpan.FromSeconds(480), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
        o.BackoffAfter(1000).Should().Be(TimeSpan.FromMinutes(10));
    }

    [SkippableTheory]
    [InlineData("Refresh:LeaseDuration", "00:00:02", "Refresh:LeaseDuration")]
    [InlineData("Refresh:Margin", "00:00:30", "Refresh:Margin")]
    [InlineData("Refresh:MaxConcurrency", "0", "Refresh:MaxConcurrency")]
    [InlineData("Refresh:Interval", "00:00:00", "Refresh:Interval")]
    [InlineData("Refresh:MaxAttempts", "0", "Refresh:MaxAttempts")]
    public void A_bad_setting_stops_the_start_and_names_itself(string key, string value, string named)
    {
        var factory = new VaultFactory(DatabaseKind.Sqlite, dataDirectory, null, new Dictionary<string, string?> { [key] = value });
        var start = () => factory.Server;
        start.Should().Throw<Exception>().Where(e => e.ToString().Contains(named, StringComparison.Ordinal));
        factory.Dispose();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
