using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Connect on useDcr apps (RFC 7591): the first connect registers the vault at the provider, stores the
/// client on the app and the whole flow uses it; later connects reuse it; racing first connects end with one client.
/// </summary>
public abstract class DynamicClientRegistrationTests(ConnectFixture fixture)
{
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableFact]
    public async Task The_first_connect_registers_once_and_the_whole_flow_uses_the_registered_client()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake);

        var url = await driver.ConnectAsync(new { appId, userId = "dcr-user-1" });

        var client = fake.RegisteredClients.Should().ContainSingle().Subject;
        fake.Registrations.Should().Be(1);
        var sent = JsonNode.Parse(fake.RegistrationRequests.Single())!;
        sent["redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()).Should().Equal(ConnectFixture.CallbackUri);
        sent["client_name"]!.GetValue<string>().Should().Be("OutboundVault: Fake " + appId);
        sent["token_endpoint_auth_method"]!.GetValue<string>().Should().Be("client_secret_post");
        sent["scope"]!.GetValue<string>().Should().Be("openid email");
        var query = ConnectDriver.Query(url);
        url.GetLeftPart(UriPartial.Path).Should().Be(fake.AuthorizationUrl, "the other endpoints come from discovery");
        query["client_id"].Should().Be(client.ClientId);

        var callback = await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(url));

        ConnectDriver.Markers(callback)["outbound_status"].Should().Be("success");
        var exchange = fake.LastTokenRequest!;
        (exchange.Form["client_id"], exchange.Form["client_secret"]).Should().Be((client.ClientId, client.ClientSecret!));
        (await driver.TokensAsync(appId)).Should().ContainSingle().Which.UserId.Should().Be("dcr-user-1");
        var app = (await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk())["app"]!;
        app["clientId"]!.GetValue<string>().Should().Be(client.ClientId);
        app["hasClientSecret"]!.GetValue<bool>().Should().BeTrue();
        app["tokenEndpointAuthMethod"]!.GetValue<string>().Should().Be("client_secret_post");
        app["useDcr"]!.GetValue<bool>().Should().BeTrue();
    }

    [SkippableFact]
    public async Task Later_connects_and_refreshes_reuse_the_stored_client_without_registering_again()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake);

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "dcr-reuse" }))["outbound_status"].Should().Be("success");
        var second = await driver.ConnectAsync(new { appId, userId = "dcr-reuse-2" });
        await (await driver.Management.PostJson("/v1/mgmt/outbound/app/user/token/latest",
            new { appId, userId = "dcr-reuse", options = new { forceRefresh = true } })).ShouldBeOk();

        var client = fake.RegisteredClients.Should().ContainSingle().Subject;
        fake.Registrations.Should().Be(1);
        ConnectDriver.Query(second)["client_id"].Should().Be(client.ClientId);
        fake.RefreshCalls.Should().Be(1);
        (fake.LastTokenRequest!.Form["client_id"], fake.LastTokenRequest.Form["client_secret"]).Should().Be((client.ClientId, client.ClientSecret!));
    }

    [SkippableFact]
    public async Task Racing_first_connects_on_two_instances_all_use_the_one_client_the_app_row_keeps()
    {
        // The latency keeps every registration in flight until all four connects have read the app without a client.
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { RegistrationLatency = TimeSpan.FromMilliseconds(500) });
        var other = new ConnectDriver(fixture.Start());
        var appId = await driver.CreateDcrAppAsync(fake);

        var urls = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            (i % 2 == 0 ? driver : other).ConnectAsync(new { appId, userId = $"dcr-race-{i}" })));

        fake.Registrations.Should().BeGreaterThan(1, "the race happened: several connects registered");
        string? stored = null;
        await driver.WithDbAsync(async db => stored = (await db.Apps.AsNoTracking().SingleAsync(a => a.Id == appId)).ClientId);
        urls.Select(u => ConnectDriver.Query(u)["client_id"]).Should().AllBe(stored, "every connect uses the client the row keeps");
        fake.RegisteredClients.Select(c => c.ClientId).Should().Contain(stored);
        var unused = fixture.Vault.Logs.Lines.Concat(other.Vault.Logs.Lines).Count(l => l.Contains("stays unused", StringComparison.Ordinal));
        unused.Should().Be(fake.Registrations - 1, "each losing registration is reported once");
        // The stored secret belongs to the stored client id: every flow completes at the fake.
        foreach (var url in urls)
            ConnectDriver.Markers(await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(url)))["outbound_status"].Should().Be("success");
        (await driver.TokensAsync(appId)).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task The_registered_secret_is_sealed_at_rest_and_never_in_responses_or_logs()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake);

        var connect = await (await driver.PostConnectAsync(new { appId, userId = "dcr-secret" })).Content.ReadAsStringAsync();
        var url = new Uri(JsonNode.Parse(connect)!["url"]!.GetValue<string>());
        var callback = await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(url));
        var seen = new List<string>
        {
            connect,
            callback.Headers.Location?.ToString() ?? "",
            await callback.Content.ReadAsStringAsync(),
            await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).Content.ReadAsStringAsync(),
            await (await driver.Management.GetAsync("/v1/mgmt/outbound/apps")).Content.ReadAsStringAsync(),
            fixture.Vault.Logs.All,
        };

        var client = fake.RegisteredClients.Single();
        seen.Should().OnlyContain(text => !text.Contains(client.ClientSecret!, StringComparison.Ordinal));
        (await RawDatabaseText.ReadAsync(fixture)).Should().NotContain(client.ClientSecret).And.Contain(client.ClientId, "the scan reads the stored app row");
    }

    [SkippableFact]
    public async Task A_public_client_registers_without_a_secret_and_connects_with_pkce()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake, app => app["tokenEndpointAuthMethod"] = "none");

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "dcr-public" }))["outbound_status"].Should().Be("success");

        fake.RegisteredClients.Should().ContainSingle().Which.ClientSecret.Should().BeNull();
        JsonNode.Parse(fake.RegistrationRequests.Single())!["token_endpoint_auth_method"]!.GetValue<string>().Should().Be("none");
        fake.LastTokenRequest!.Form.Should().NotContainKey("client_secret").And.ContainKey("code_verifier");
        var app = (await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk())["app"]!;
        app["hasClientSecret"]!.GetValue<bool>().Should().BeFalse();
        app["tokenEndpointAuthMethod"]!.GetValue<string>().Should().Be("none");
    }

    [SkippableFact]
    public async Task An_explicit_dcrUrl_with_explicit_endpoints_needs_no_discovery()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake, app =>
        {
            app.Remove("discoveryUrl");
            app["dcrUrl"] = fake.RegistrationUrl;
            app["authorizationUrl"] = fake.AuthorizationUrl;
            app["tokenUrl"] = fake.TokenUrl;
        });

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "dcr-explicit" }))["outbound_status"].Should().Be("success");

        fake.Registrations.Should().Be(1);
        fake.DiscoveryRequests.Should().Be(0);
    }

    [SkippableFact]
    public async Task A_useDcr_app_that_already_has_a_client_id_does_not_register()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake, app =>
        {
            app["clientId"] = fake.Options.ClientId;
            app["clientSecret"] = fake.Options.ClientSecret;
        });

        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "dcr-preset" }))["outbound_status"].Should().Be("success");

        fake.Registrations.Should().Be(0);
        fake.LastTokenRequest!.Form["client_id"].Should().Be(fake.Options.ClientId);
    }
}

/// <summary>useDcr apps as an operator creates them for an MCP server's authorization server.</summary>
static class DcrApps
{
    /// <summary>A useDcr app with only a discovery URL: no client id, secret or explicit endpoints.</summary>
    public static Task<string> CreateDcrAppAsync(this ConnectDriver driver, FakeOAuthProvider fake, Action<JsonObject>? customize = null) =>
        driver.CreateAppAsync(fake, app =>
        {
            foreach (var field in new[] { "clientId", "clientSecret", "authorizationUrl", "tokenUrl", "revocationUrl" }) app.Remove(field);
            app["discoveryUrl"] = fake.DiscoveryUrl;
            app["useDcr"] = true;
            customize?.Invoke(app);
        });
}

public sealed class DynamicClientRegistrationTests_Sqlite(SqliteConnectVault fixture)
    : DynamicClientRegistrationTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class DynamicClientRegistrationTests_Postgres(PostgresConnectVault fixture)
    : DynamicClientRegistrationTests(fixture), IClassFixture<PostgresConnectVault>;
