using System.Net;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Hosting;

/// <summary>Rate limits per key and per address, on a vault whose limits are tiny: 429, Retry-After, the Descope body.</summary>
public sealed class RateLimitTests(RateLimitTests.TinyLimitsVault fixture) : IClassFixture<RateLimitTests.TinyLimitsVault>
{
    HttpClient With(string key)
    {
        var client = fixture.Vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{key}");
        return client;
    }

    static async Task<HttpResponseMessage> Exhaust(Func<Task<HttpResponseMessage>> send, int times)
    {
        HttpResponseMessage last = null!;
        for (var i = 0; i < times; i++) last = await send();
        return last;
    }

    [SkippableFact]
    public async Task A_key_past_its_burst_gets_429_with_retry_after_and_the_descope_body()
    {
        var client = With(TinyLimitsVault.FetchKeys[0]);

        var refused = await Exhaust(() => client.GetAsync("/v1/mgmt/license"), 4);

        await refused.ShouldBeError(429, "E130429");
        int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
    }

    [SkippableFact]
    public async Task Another_key_is_not_slowed_by_one_that_is()
    {
        var busy = With(TinyLimitsVault.FetchKeys[1]);
        await Exhaust(() => busy.GetAsync("/v1/mgmt/license"), 4);

        var other = await With(TinyLimitsVault.FetchKeys[2]).GetAsync("/v1/mgmt/license");

        other.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task An_address_without_credentials_past_its_burst_gets_429_on_the_callback()
    {
        var browser = fixture.Vault.CreateClient();

        var refused = await Exhaust(() => browser.GetAsync("/v1/outbound/oauth/callback?state=x"), 3);

        await refused.ShouldBeError(429, "E130429");
    }

    public sealed class TinyLimitsVault() : VaultFixture(DatabaseKind.Sqlite)
    {
        public static readonly string[] FetchKeys = ["rate-key-0-0123456789abcdef", "rate-key-1-0123456789abcdef", "rate-key-2-0123456789abcdef"];

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Management:FetchKeys:0"] = FetchKeys[0],
            ["Management:FetchKeys:1"] = FetchKeys[1],
            ["Management:FetchKeys:2"] = FetchKeys[2],
            ["RateLimits:KeyPerSecond"] = "1",
            ["RateLimits:KeyBurst"] = "3",
            ["RateLimits:AddressPerSecond"] = "1",
            ["RateLimits:AddressBurst"] = "2",
        };
    }
}

/// <summary>Repeated failed authentications from one address slow down to 429s.</summary>
public sealed class FailedAuthenticationLimitTests(FailedAuthenticationLimitTests.FewFailuresVault fixture) : IClassFixture<FailedAuthenticationLimitTests.FewFailuresVault>
{
    [SkippableFact]
    public async Task Past_the_allowed_failures_a_wrong_key_gets_429_instead_of_401()
    {
        var guesser = fixture.Vault.CreateClient();
        guesser.DefaultRequestHeaders.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:wrong-key");
        var statuses = new List<int>();

        for (var i = 0; i < 4; i++) statuses.Add((int)(await guesser.GetAsync("/v1/mgmt/outbound/apps")).StatusCode);

        statuses.Should().Equal(401, 401, 401, 429);
    }

    public sealed class FewFailuresVault() : VaultFixture(DatabaseKind.Sqlite)
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:FailedAuthenticationsPerMinute"] = "3",
        };
    }
}
