using System.Net;
using System.Text.Json.Nodes;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// The redirect_uri a connect sends, and the callbackUrl apps report: OAuth:PublicBaseUrl, else the
/// request's own scheme and host with X-Forwarded-Proto/Host applied when they come from a loopback proxy.
/// </summary>
public abstract class CallbackUriTests(ConnectFixture fixture)
{
    [SkippableFact]
    public async Task Without_a_public_base_url_a_proxys_forwarded_scheme_and_host_are_used()
    {
        var vault = fixture.Vault;
        var driver = new ConnectDriver(vault);
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var proxied = vault.CreateManagementClient();
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Host", "vault.public.test");

        var app = await (await proxied.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk();
        var url = await driver.ConnectAsync(new { appId, userId = "u-proxy" }, proxied);

        const string expected = "https://vault.public.test/v1/outbound/oauth/callback";
        app["app"]!["callbackUrl"]!.GetValue<string>().Should().Be(expected);
        ConnectDriver.Query(url)["redirect_uri"].Should().Be(expected);
        var direct = await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk();
        direct["app"]!["callbackUrl"]!.GetValue<string>().Should().Be("http://localhost/v1/outbound/oauth/callback");
    }

    [SkippableFact]
    public async Task Forwarded_headers_from_a_peer_that_is_not_a_loopback_proxy_are_ignored()
    {
        var vault = fixture.Vault;
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await new ConnectDriver(vault).CreateAppAsync(fake);

        var context = await vault.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = $"/v1/mgmt/outbound/app/{appId}";
            c.Request.Headers.Authorization = $"Bearer {VaultFactory.ProjectId}:{VaultFactory.ManagementKey}";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers["X-Forwarded-Host"] = "attacker.example";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        });

        context.Response.StatusCode.Should().Be(200);
        var app = (await JsonNode.ParseAsync(context.Response.Body))!["app"]!;
        app["callbackUrl"]!.GetValue<string>().Should().Be("http://localhost/v1/outbound/oauth/callback");
    }

    [SkippableFact]
    public async Task A_public_base_url_with_a_path_prefix_keeps_it()
    {
        var vault = fixture.Start(new Dictionary<string, string?> { ["OAuth:PublicBaseUrl"] = "https://example.test/vault/" });
        await using var fake = await FakeOAuthProvider.StartAsync();
        var driver = new ConnectDriver(vault);
        var appId = await driver.CreateAppAsync(fake);

        var url = await driver.ConnectAsync(new { appId, userId = "u-prefix" });

        ConnectDriver.Query(url)["redirect_uri"].Should().Be("https://example.test/vault/v1/outbound/oauth/callback");
    }
}

public sealed class CallbackUriTests_Sqlite(SqliteProxiedVault fixture) : CallbackUriTests(fixture), IClassFixture<SqliteProxiedVault>;

public sealed class CallbackUriTests_Postgres(PostgresProxiedVault fixture) : CallbackUriTests(fixture), IClassFixture<PostgresProxiedVault>;
