using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OutboundVault.Bench.RefreshStorm;
using OutboundVault.Data;
using OutboundVault.Security;
using OutboundVault.Testing;
using OutboundVault.Tokens;

// The refresh storm: N tokens that all expire within Refresh:Margin, a fake provider process answering
// each refresh after a fixed latency, and the vault's background worker (one or more server processes over
// one PostgreSQL database) refreshing them. Usage: see bench/refresh/run.sh, which builds and calls this.
//   RefreshStorm --pg-admin CONN --api-dll PATH --fake-url URL --tokens-file PATH --work-dir DIR
//                [--instances 1] [--kill-after-seconds S] [--set Refresh__MaxConcurrency=8 ...]
// --kill-after-seconds (with two or more instances): kill -9 the first instance S seconds into the storm; the
// others must take over its leased rows, and only refreshes in flight at the kill may be lost.

var options = Arguments.Parse(args);
var refreshTokens = await File.ReadAllLinesAsync(options.TokensFile);
var count = refreshTokens.Length;
var database = "storm_" + RandomNumberGenerator.GetHexString(8, lowercase: true);
var connectionString = new NpgsqlConnectionStringBuilder(options.PgAdmin) { Database = database, Pooling = true }.ConnectionString;
var keyBytes = RandomNumberGenerator.GetBytes(32);
var encryptionKey = KeyRing.Format("bench", keyBytes);
await Admin($"CREATE DATABASE \"{database}\"");
var vaults = new List<VaultProcess>();
try
{
    // One after another: each start migrates, and the first must have finished before the next looks.
    for (var i = 0; i < options.Instances; i++)
        vaults.Add(await StormVault.StartAsync(options.ApiDll, connectionString, encryptionKey, Path.Combine(options.WorkDir, $"vault-{i + 1}.log"), options.Settings));

    var appId = "storm-app";
    using (var created = await vaults[0].Client.PostAsJsonAsync("/v1/mgmt/outbound/app/create", new
    {
        id = appId, name = "Refresh storm", clientId = "fake-client", clientSecret = "fake-secret",
        authorizationUrl = options.FakeUrl + "/authorize", tokenUrl = options.FakeUrl + "/token",
    }))
    {
        created.EnsureSuccessStatusCode();
    }

    // Seed every row in one transaction, so the storm starts at one instant (the commit).
    var db = new PostgresVaultDbContext(new DbContextOptionsBuilder<PostgresVaultDbContext>().UseNpgsql(connectionString).Options);
    // The seeding is not an operator's action: its audit records stay in this process and are dropped.
    var store = new TokenStore(db, new PostgresPreparedReads(db), new SecretProtector(new KeyRing([KeyRing.Parse(encryptionKey, 0)]), NullLogger<SecretProtector>.Instance),
        TimeProvider.System, new OutboundVault.Audit.AuditLog(new Microsoft.AspNetCore.Http.HttpContextAccessor(), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new OutboundVault.Audit.AuditOptions())));
    var seededAt = DateTime.UtcNow;
    var expiries = new Dictionary<string, DateTime>(count);
    for (var i = 0; i < count; i++)
    {
        // Spread evenly from 60 s to 300 s ahead: every token is inside the default 5-minute margin.
        var token = new OutboundToken
        {
            Id = TokenStore.NewId(), AppId = appId, UserId = $"storm-user-{i}", Kind = TokenKinds.OAuth, Scopes = ["read"], ScopeKey = "read",
            TokenType = "Bearer", AccessTokenExpiresAt = seededAt.AddSeconds(60 + 240.0 * i / count), CreatedAt = seededAt, UpdatedAt = seededAt,
        };
        store.WriteSecrets(token, $"at_storm_{i}", refreshTokens[i]);
        db.Tokens.Add(token);
        expiries[token.Id] = token.AccessTokenExpiresAt!.Value;
    }
    await db.SaveChangesAsync();
    var t0 = DateTime.UtcNow;
    Console.WriteLine($"seeded {count} tokens in {(t0 - seededAt).TotalSeconds:0.0} s; waiting for the workers");

    var deadline = t0.AddMinutes(15);
    int? leasedAtKill = null;
    DateTime? killedAt = null;
    while (await db.Tokens.CountAsync(t => t.LastRefreshAt != null || t.Status == TokenStatuses.NeedsReconnect) < count && DateTime.UtcNow < deadline)
    {
        if (options.KillAfter is { } after && killedAt is null && DateTime.UtcNow - t0 >= after)
        {
            var prefix = vaults[0].LeasePrefix;
            await vaults[0].KillAsync();
            killedAt = DateTime.UtcNow;
            leasedAtKill = await db.Tokens.CountAsync(t => t.LeaseOwner != null && t.LeaseOwner.StartsWith(prefix));
            Console.WriteLine($"killed instance 1 at {(killedAt.Value - t0).TotalSeconds:0.0} s holding {leasedAtKill} leased rows");
        }
        await Task.Delay(500);
    }
    var rows = await db.Tokens.AsNoTracking().Select(t => new { t.Id, t.LastRefreshAt, t.RefreshAttempts, t.Status }).ToListAsync();

    using var http = new HttpClient();
    var stats = await http.GetFromJsonAsync<JsonElement>(options.FakeUrl + "/stats");
    var calls = stats.GetProperty("refreshCalls").GetInt32();
    var invalidGrants = stats.GetProperty("invalidGrants").GetInt32();
    // The provider's answer time as a client sees it (its latency plus HTTP), for the ceiling MaxConcurrency / answer time:
    // a probe the token endpoint refuses after its latency, counted as neither a refresh nor an invalid_grant.
    var probes = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        var sent = System.Diagnostics.Stopwatch.GetTimestamp();
        using var probe = await http.PostAsync(options.FakeUrl + "/token", new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "latency_probe")]));
        probes.Add(System.Diagnostics.Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
    }
    var slots = options.Instances * (options.Settings.TryGetValue("Refresh__MaxConcurrency", out var set)
        ? int.Parse(set, CultureInfo.InvariantCulture) : new OutboundVault.Refresh.RefreshOptions().MaxConcurrency);
    var done = rows.Where(r => r.LastRefreshAt is not null).Select(r => r.LastRefreshAt!.Value).ToList();
    var expiredFirst = rows.Count(r => r.LastRefreshAt is null || r.LastRefreshAt > expiries[r.Id]);
    var first = done.Count > 0 ? done.Min() : t0;
    var last = done.Count > 0 ? done.Max() : t0;
    var allRefreshedAfter = (last - t0).TotalSeconds;
    var perSecond = done.Count / Math.Max(allRefreshedAfter, 0.001);
    var answerMs = probes.Average();
    var report = new Dictionary<string, object>
    {
        ["tokens"] = count,
        ["instances"] = options.Instances,
        ["settings"] = string.Join(' ', options.Settings.Select(s => $"{s.Key}={s.Value}")),
        ["refreshed"] = done.Count,
        ["secondsUntilAllRefreshed"] = Math.Round(allRefreshedAfter, 1),
        ["secondsFirstToLastRefresh"] = Math.Round((last - first).TotalSeconds, 1),
        ["providerRefreshCalls"] = calls,
        ["invalidGrants"] = invalidGrants,
        ["expiredBeforeRefresh"] = expiredFirst,
        ["failedAttemptsRecorded"] = rows.Sum(r => r.RefreshAttempts),
        ["needsReconnect"] = rows.Count(r => r.Status == TokenStatuses.NeedsReconnect),
        ["refreshesPerSecond"] = Math.Round(perSecond, 1),
        ["refreshSlots"] = slots,
        ["providerAnswerMs"] = Math.Round(answerMs, 1),
        // Of the ceiling slots / answer time: 1.0 would mean the vault's own work per refresh costs nothing.
        ["ofAnswerTimeCeiling"] = Math.Round(perSecond / (slots * 1000 / answerMs), 2),
    };
    if (killedAt is not null)
    {
        report["killedAfterSeconds"] = Math.Round((killedAt.Value - t0).TotalSeconds, 1);
        report["leasedByKilledInstance"] = leasedAtKill!;
        report["secondsFromKillToAllRefreshed"] = Math.Round((last - killedAt.Value).TotalSeconds, 1);
    }
    var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    await File.WriteAllTextAsync(Path.Combine(options.WorkDir, "result.json"), json);
    await db.DisposeAsync();
    var lost = rows.Count(r => r.Status == TokenStatuses.NeedsReconnect);
    // A kill may lose the refreshes in flight (the provider may have rotated a token whose answer never arrived)
    // and repeat the calls it aborted; everything else must be refreshed once, before it expires.
    var ok = killedAt is null
        ? done.Count == count && calls == count && expiredFirst == 0 && invalidGrants == 0
        : done.Count + lost == count && lost <= leasedAtKill && expiredFirst == lost;
    Console.WriteLine(!ok ? "FAIL: see the numbers above"
        : killedAt is null ? "PASS: every token refreshed once, none expired first"
        : $"PASS: the survivors took over; {lost} refreshes in flight at the kill were lost (at most the {leasedAtKill} rows it held)");
    return ok ? 0 : 1;
}
finally
{
    foreach (var vault in vaults) await vault.DisposeAsync();
    NpgsqlConnection.ClearAllPools();
    await Admin($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

async Task Admin(string sql)
{
    await using var connection = new NpgsqlConnection(options.PgAdmin);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

sealed record Arguments(
    string PgAdmin, string ApiDll, string FakeUrl, string TokensFile, string WorkDir, int Instances, TimeSpan? KillAfter, IReadOnlyDictionary<string, string> Settings)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var settings = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--set")
            {
                var (key, value) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2).ElementAtOrDefault(1) ?? "");
                settings[key] = value;
            }
            else
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }
        }
        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        return new Arguments(Required("pg-admin"), Required("api-dll"), Required("fake-url").TrimEnd('/'), Required("tokens-file"), Required("work-dir"),
            int.Parse(values.GetValueOrDefault("instances", "1"), CultureInfo.InvariantCulture),
            values.TryGetValue("kill-after-seconds", out var kill) ? TimeSpan.FromSeconds(double.Parse(kill, CultureInfo.InvariantCulture)) : null, settings);
    }
}
