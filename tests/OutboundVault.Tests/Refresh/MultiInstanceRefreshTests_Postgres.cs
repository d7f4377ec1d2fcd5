using System.Text.Json.Nodes;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Refresh;

/// <summary>
/// Two separate server processes over one PostgreSQL database: nothing in process memory can coordinate
/// them, so only the row lease keeps a refresh single.
/// </summary>
public sealed class MultiInstanceRefreshTests_Postgres(PostgresRefreshVault fixture) : IClassFixture<PostgresRefreshVault>
{
    [SkippableFact]
    public async Task Two_hundred_fetches_split_between_two_processes_make_one_provider_refresh()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromMilliseconds(500) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-5));
        var original = kit.Secrets(token);
        var started = await Task.WhenAll(VaultProcesses.StartAsync(fixture.PostgresConnection!), VaultProcesses.StartAsync(fixture.PostgresConnection!));
        await using var one = started[0];
        await using var two = started[1];

        var fetches = Enumerable.Range(0, 200).Select(async i =>
        {
            var instance = i % 2 == 0 ? one : two;
            var response = await instance.Client.PostJson($"{RefreshKit.Outbound}/app/user/token/latest",
                new { appId = kit.AppId, userId = token.UserId, options = new { withRefreshToken = true } });
            return (await response.ShouldBeOk())["token"]!;
        });
        JsonNode[] tokens = await Task.WhenAll(fetches);

        kit.Fake.RefreshCalls.Should().Be(1);
        kit.Fake.InvalidGrants.Should().Be(0);
        var handedOut = tokens.Select(t => t["accessToken"]!.GetValue<string>()).Distinct().ToList();
        handedOut.Should().ContainSingle().Which.Should().NotBe(original.Access);
        var (access, refresh) = kit.Secrets(await kit.ReadAsync(token.Id));
        access.Should().Be(handedOut[0]);
        refresh.Should().NotBe(original.Refresh, "the rotated refresh token was stored");
        tokens.Should().OnlyContain(t => t["refreshToken"]!.GetValue<string>() == refresh);
        foreach (var output in new[] { one.Output, two.Output })
            output.Should().NotContain(original.Refresh!).And.NotContain(refresh!).And.NotContain(access!);
    }

    [SkippableFact]
    public async Task The_lease_of_an_instance_killed_mid_refresh_is_taken_over_by_the_survivor_in_seconds()
    {
        await using var kit = await RefreshKit.StartAsync(fixture.Vault, new FakeProviderOptions { Latency = TimeSpan.FromSeconds(3) });
        var token = await kit.SeedAsync(kit.Now.AddMinutes(-5));
        var started = await Task.WhenAll(VaultProcesses.StartAsync(fixture.PostgresConnection!), VaultProcesses.StartAsync(fixture.PostgresConnection!));
        await using var killed = started[0];
        await using var survivor = started[1];
        var body = new { appId = kit.AppId, userId = token.UserId };
        _ = killed.Client.PostJson($"{RefreshKit.Outbound}/app/user/token/latest", body);
        await Eventually.TrueAsync(() => kit.Fake.RefreshCalls == 1, "the first instance is in its provider call");
        await killed.KillAsync();
        // Well inside the minute a dead holder's lease used to last: the survivor takes over once the lease runs out.
        using var patient = new HttpClient { BaseAddress = new Uri(survivor.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        patient.DefaultRequestHeaders.Authorization = survivor.Client.DefaultRequestHeaders.Authorization;

        var fetched = (await (await patient.PostJson($"{RefreshKit.Outbound}/app/user/token/latest", body)).ShouldBeOk())["token"]!;

        (fetched["accessToken"]!.GetValue<string>() != kit.Secrets(token).Access, kit.Fake.RefreshCalls).Should().Be((true, 2));
    }
}
