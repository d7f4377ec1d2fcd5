using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OutboundVault.Data;
using OutboundVault.FakeProvider;
using OutboundVault.Refresh;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Refresh;

/// <summary>The background worker's iterations, run by hand on a clock the test moves.</summary>
public abstract class RefreshSweepTests(ClockedRefreshVault fixture)
{
    async Task<RefreshKit> StartAsync(FakeProviderOptions? options = null)
    {
        // Every test starts from an empty token table, so an iteration's counts are this test's alone.
        await using (var scope = fixture.Clocked.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.ExecuteDeleteAsync();
        return await RefreshKit.StartAsync(fixture.Clocked, options);
    }

    static Task<SweepResult?> RunIteration(RefreshKit kit, CancellationToken ct = default) =>
        kit.Service<RefreshWorker>().RunIterationAsync(ct);

    [SkippableFact]
    public async Task Tokens_inside_the_margin_are_refreshed_and_all_others_left_untouched()
    {
        await using var kit = await StartAsync();
        var now = kit.Now;
        var due = await kit.SeedAsync(now.AddMinutes(2));
        var later = await kit.SeedAsync(now.AddMinutes(10));
        var unknownExpiry = await kit.SeedAsync(null);
        var apiKey = await kit.SeedAsync(null, kind: TokenKinds.ApiKey);
        var noRefreshToken = await kit.SeedAsync(now.AddMinutes(1), withRefreshToken: false);
        var dead = await kit.SeedAsync(now.AddMinutes(1));
        await kit.UpdateAsync(dead.Id, t => t.Status = TokenStatuses.NeedsReconnect);
        var backingOff = await kit.SeedAsync(now.AddMinutes(1));
        await kit.UpdateAsync(backingOff.Id, t => (t.RefreshAttempts, t.RefreshNotBefore) = (1, now.AddMinutes(2)));
        var exhausted = await kit.SeedAsync(now.AddMinutes(1));
        await kit.UpdateAsync(exhausted.Id, t => t.RefreshAttempts = 10);
        var untouched = new[] { later, unknownExpiry, apiKey, noRefreshToken, dead, backingOff, exhausted };
        var versions = new List<Guid>();
        foreach (var token in untouched) versions.Add((await kit.ReadAsync(token.Id)).Version);

        var first = await RunIteration(kit);

        first.Should().Be(new SweepResult(Claimed: 1, Refreshed: 1, Failed: 0, Dead: 0, Skipped: 0));
        kit.Fake.RefreshCalls.Should().Be(1);
        var refreshed = await kit.ReadAsync(due.Id);
        kit.Secrets(refreshed).Access.Should().NotBe(kit.Secrets(due).Access);
        refreshed.AccessTokenExpiresAt.Should().Be(now.AddHours(1));
        refreshed.LastRefreshAt.Should().Be(now);
        for (var i = 0; i < untouched.Length; i++) (await kit.ReadAsync(untouched[i].Id)).Version.Should().Be(versions[i]);

        // Six minutes on: the 10-minute token is inside the margin and the back-off is over; the capped one stays alone.
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        var second = await RunIteration(kit);
        second!.Refreshed.Should().Be(2);
        kit.Fake.RefreshCalls.Should().Be(3);
        (await kit.ReadAsync(later.Id)).Version.Should().NotBe(versions[0]);
        (await kit.ReadAsync(backingOff.Id)).RefreshAttempts.Should().Be(0);
        (await kit.ReadAsync(exhausted.Id)).Version.Should().Be(versions[6]);
        (await kit.ReadAsync(due.Id)).Version.Should().Be(refreshed.Version, "refreshed tokens are an hour away from expiry now");
    }

    [SkippableFact]
    public async Task A_provider_down_during_the_batch_costs_no_token_and_the_worker_recovers_after_the_cooldown()
    {
        await using var kit = await StartAsync();
        var tokens = new List<OutboundToken>();
        for (var i = 0; i < 3; i++) tokens.Add(await kit.SeedAsync(kit.Now.AddMinutes(2 + i)));
        kit.Fake.FailNext(2, FakeFailure.ServerError);
        kit.Fake.FailNext(1, FakeFailure.MalformedJson);

        var failed = await RunIteration(kit);

        failed.Should().Be(new SweepResult(Claimed: 3, Refreshed: 0, Failed: 3, Dead: 0, Skipped: 0));
        foreach (var token in tokens)
        {
            var row = await kit.ReadAsync(token.Id);
            row.Status.Should().Be(TokenStatuses.Valid);
            row.RefreshAttempts.Should().Be(1);
            row.RefreshNotBefore.Should().Be(kit.Now.AddSeconds(30));
            row.LeaseOwner.Should().BeNull();
            kit.Secrets(row).Refresh.Should().Be(kit.Secrets(token).Refresh);
        }

        (await RunIteration(kit))!.Claimed.Should().Be(0, "the tokens are backing off");
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        (await RunIteration(kit)).Should().Be(new SweepResult(Claimed: 3, Refreshed: 3, Failed: 0, Dead: 0, Skipped: 0));
        kit.Fake.RefreshCalls.Should().Be(6);
        kit.Fake.InvalidGrants.Should().Be(0);
    }

    [SkippableFact]
    public async Task Invalid_grant_in_the_batch_marks_that_token_only()
    {
        await using var kit = await StartAsync();
        var first = await kit.SeedAsync(kit.Now.AddMinutes(1));
        var second = await kit.SeedAsync(kit.Now.AddMinutes(2));
        kit.Fake.FailNext(1, FakeFailure.InvalidGrant);

        (await RunIteration(kit)).Should().Be(new SweepResult(Claimed: 2, Refreshed: 1, Failed: 0, Dead: 1, Skipped: 0));
        // Both calls run at once, so either may meet the refusal; exactly one of them does.
        var statuses = new[] { (await kit.ReadAsync(first.Id)).Status, (await kit.ReadAsync(second.Id)).Status };
        statuses.Should().BeEquivalentTo([TokenStatuses.NeedsReconnect, TokenStatuses.Valid]);
    }

    [SkippableFact]
    public async Task A_token_whose_secret_cannot_be_opened_fails_alone_and_backs_off()
    {
        await using var kit = await StartAsync();
        var broken = await kit.SeedAsync(kit.Now.AddMinutes(1));
        await kit.UpdateAsync(broken.Id, t => t.RefreshTokenCipher = "v1:test1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var fine = await kit.SeedAsync(kit.Now.AddMinutes(2));

        var result = await RunIteration(kit);

        result.Should().Be(new SweepResult(Claimed: 2, Refreshed: 1, Failed: 1, Dead: 0, Skipped: 0));
        var row = await kit.ReadAsync(broken.Id);
        row.LastRefreshError.Should().Contain("could not be decrypted");
        row.RefreshNotBefore.Should().BeAfter(kit.Now);
        (await kit.ReadAsync(fine.Id)).LastRefreshAt.Should().Be(kit.Now);
        (await RunIteration(kit))!.Claimed.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_database_outage_fails_one_iteration_and_the_next_one_refreshes()
    {
        await using var kit = await StartAsync();
        var token = await kit.SeedAsync(kit.Now.AddMinutes(1));

        await using (await DatabaseOutage.StartAsync(fixture))
        {
            (await RunIteration(kit)).Should().BeNull("the iteration failed and the worker caught it");
        }

        fixture.Vault.Logs.All.Should().Contain("Refresh sweep failed");
        kit.Fake.RefreshCalls.Should().Be(0);
        (await kit.ReadAsync(token.Id)).LeaseOwner.Should().BeNull();
        (await RunIteration(kit)).Should().Be(new SweepResult(Claimed: 1, Refreshed: 1, Failed: 0, Dead: 0, Skipped: 0));
        kit.Fake.RefreshCalls.Should().Be(1);
    }

    [SkippableFact]
    public async Task Two_instances_sweeping_at_once_share_the_work_without_refreshing_any_token_twice()
    {
        await using var kit = await StartAsync(new FakeProviderOptions { Latency = TimeSpan.FromMilliseconds(50) });
        for (var i = 0; i < 40; i++) await kit.SeedAsync(kit.Now.AddSeconds(30 + i));
        await using var one = Batches(size: 5, concurrency: 2);
        await using var two = Batches(size: 5, concurrency: 2);

        var results = await Task.WhenAll(
            one.Services.GetRequiredService<RefreshWorker>().RunIterationAsync(default),
            two.Services.GetRequiredService<RefreshWorker>().RunIterationAsync(default));

        results.Sum(r => r!.Refreshed).Should().Be(40);
        kit.Fake.RefreshCalls.Should().Be(40);
        kit.Fake.InvalidGrants.Should().Be(0);
    }

    [SkippableFact]
    public async Task The_next_batch_is_claimed_while_the_last_ones_refreshes_are_still_running()
    {
        await using var kit = await StartAsync(new FakeProviderOptions { Latency = TimeSpan.FromSeconds(2) });
        for (var i = 0; i < 3; i++) await kit.SeedAsync(kit.Now.AddSeconds(30 + i));
        await using var oneAtATime = Batches(size: 1, concurrency: 3);

        var result = await oneAtATime.Services.GetRequiredService<RefreshWorker>().RunIterationAsync(default);

        result!.Refreshed.Should().Be(3);
        kit.Fake.MostTokenRequestsInFlight.Should().Be(3, "three batches of one share the three refresh slots");
    }

    [SkippableFact]
    public async Task Cancelling_an_iteration_stops_it_promptly_and_releases_its_claims()
    {
        await using var kit = await StartAsync(new FakeProviderOptions { Latency = TimeSpan.FromSeconds(30) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(1));
        using var stop = new CancellationTokenSource();

        var iteration = RunIteration(kit, stop.Token);
        for (var i = 0; i < 200 && kit.Fake.RefreshCalls == 0; i++) await Task.Delay(25);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await stop.CancelAsync();

        (await iteration).Should().BeNull();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        var row = await kit.ReadAsync(token.Id);
        row.LeaseOwner.Should().BeNull();
        kit.Secrets(row).Refresh.Should().Be(kit.Secrets(token).Refresh);
    }

    /// <summary>Another vault on the fixture's database and clock, claiming <paramref name="size"/> rows at a time.</summary>
    Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Batches(int size, int concurrency) => fixture.Vault.WithWebHostBuilder(b => b
        .UseSetting("Refresh:BatchSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Refresh:MaxConcurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(fixture.Clock)));

    /// <summary>
    /// Makes the fixture's database refuse work until disposed: on PostgreSQL the database stops accepting
    /// connections and its sessions are ended; on SQLite another connection holds the write lock
    /// (the vault's busy timeout is five seconds).
    /// </summary>
    sealed class DatabaseOutage : IAsyncDisposable
    {
        readonly Func<Task> end;

        DatabaseOutage(Func<Task> end) => this.end = end;

        public static async Task<DatabaseOutage> StartAsync(ClockedRefreshVault fixture)
        {
            if (fixture.Kind == DatabaseKind.Sqlite)
            {
                var locker = new SqliteConnection($"Data Source={fixture.SqlitePath}");
                await locker.OpenAsync();
                await using (var begin = new SqliteCommand("BEGIN EXCLUSIVE", locker)) await begin.ExecuteNonQueryAsync();
                return new DatabaseOutage(async () =>
                {
                    await using (var rollback = new SqliteCommand("ROLLBACK", locker)) await rollback.ExecuteNonQueryAsync();
                    await locker.DisposeAsync();
                });
            }

            var name = new NpgsqlConnectionStringBuilder(fixture.PostgresConnection).Database!;
            await Admin($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false");
            await Admin($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
            await using (var vaultConnection = new NpgsqlConnection(fixture.PostgresConnection)) NpgsqlConnection.ClearPool(vaultConnection);
            return new DatabaseOutage(() => Admin($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"));
        }

        static async Task Admin(string sql)
        {
            await using var connection = new NpgsqlConnection(TestPostgres.AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync() => await end();
    }
}

public sealed class RefreshSweepTests_Sqlite(SqliteClockedRefreshVault fixture) : RefreshSweepTests(fixture), IClassFixture<SqliteClockedRefreshVault>;

public sealed class RefreshSweepTests_Postgres(PostgresClockedRefreshVault fixture) : RefreshSweepTests(fixture), IClassFixture<PostgresClockedRefreshVault>;
