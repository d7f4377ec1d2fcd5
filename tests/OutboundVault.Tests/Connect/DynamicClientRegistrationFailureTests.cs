using System.Text.Json.Nodes;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>useDcr apps that cannot register: provider failures, no endpoint, the SSRF guard, and the create/update rule.</summary>
public abstract class DynamicClientRegistrationFailureTests(ConnectFixture fixture)
{
    static readonly Dictionary<string, string?> GuardOn = new() { ["OAuth:AllowPrivateNetworkTargets"] = "false" };
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableTheory]
    [InlineData(FakeRegistrationFailure.Rejected, "HTTP 400 (invalid_client_metadata)")]
    [InlineData(FakeRegistrationFailure.ServerError, "HTTP 500")]
    [InlineData(FakeRegistrationFailure.MissingClientId, "without a client_id")]
    public async Task A_provider_failure_answers_502_leaves_the_app_unchanged_and_a_later_connect_recovers(
        FakeRegistrationFailure failure, string reason)
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { RegistrationFailure = failure });
        var appId = await driver.CreateDcrAppAsync(fake);
        var before = await LoadAppAsync(appId);

        var response = await driver.PostConnectAsync(new { appId, userId = "dcr-fail" });
        var text = await response.Content.ReadAsStringAsync();
        var error = await response.ShouldBeError(502, "E081502");

        error["errorMessage"]!.GetValue<string>().Should().StartWith($"Client registration for app '{appId}' failed:").And.Contain(reason);
        text.Should().NotContain(FakeOAuthProvider.RegistrationRefusalText).And.NotContain("orphan-secret");
        fixture.Vault.Logs.All.Should().NotContain(FakeOAuthProvider.RegistrationRefusalText).And.NotContain("orphan-secret");
        (await LoadAppAsync(appId)).ToJsonString().Should().Be(before.ToJsonString(), "a failed registration stores nothing");
        (await driver.PendingCountAsync(appId)).Should().Be(0);
        fake.Registrations.Should().Be(1, "registration is never retried");

        fake.Options.RegistrationFailure = null;
        ConnectDriver.Markers(await driver.RunAsync(new { appId, userId = "dcr-fail" }))["outbound_status"].Should().Be("success");
        fake.Registrations.Should().Be(2);
    }

    [SkippableFact]
    public async Task A_discovery_document_without_registration_endpoint_is_a_clear_400()
    {
        await using var fake = await FakeOAuthProvider.StartAsync(new FakeProviderOptions { PublishRegistrationEndpoint = false });
        var appId = await driver.CreateDcrAppAsync(fake);

        var error = await (await driver.PostConnectAsync(new { appId, userId = "dcr-none" })).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().Contain("no registration endpoint").And.Contain("dcrUrl");
        fake.Registrations.Should().Be(0);
        (await LoadAppAsync(appId))["clientId"].Should().BeNull();
    }

    [SkippableFact]
    public async Task A_refused_redirect_url_registers_no_client()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateDcrAppAsync(fake);

        await (await driver.PostConnectAsync(new { appId, userId = "dcr-redirect", options = new { redirectUrl = "https://evil.example.net/steal" } }))
            .ShouldBeError(400, "E011003");

        fake.Registrations.Should().Be(0, "the request is refused before anything is sent to the provider");
        (await LoadAppAsync(appId))["clientId"].Should().BeNull();
    }

    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_registration_endpoint_is_refused_without_a_request_when_the_guard_is_on(string host)
    {
        var guarded = new ConnectDriver(fixture.Start(GuardOn));
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await guarded.CreateDcrAppAsync(fake, app =>
        {
            app.Remove("discoveryUrl");
            app["dcrUrl"] = $"http://{host}:{new Uri(fake.BaseUrl).Port}/register";
            app["authorizationUrl"] = "https://auth.example.test/authorize";
            app["tokenUrl"] = "https://auth.example.test/token";
        });

        var error = await (await guarded.PostConnectAsync(new { appId, userId = "dcr-ssrf" })).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().Contain("private or loopback").And.Contain("OAuth:AllowPrivateNetworkTargets");
        fake.TotalRequests.Should().Be(0);
        fake.Registrations.Should().Be(0);
        (await LoadAppAsync(appId))["clientId"].Should().BeNull();
    }

    [SkippableTheory]
    [InlineData("""{"name":"MCP","useDcr":true}""")]
    [InlineData("""{"name":"MCP","useDcr":true,"dcrUrl":"","discoveryUrl":"","authorizationUrl":"https://a.example.com/authorize"}""")]
    public async Task Create_with_useDcr_and_no_endpoint_to_register_at_is_refused(string body)
    {
        var error = await (await driver.Management.PostJson("/v1/mgmt/outbound/app/create", body)).ShouldBeError(400, "E011003");

        error["errorMessage"]!.GetValue<string>().Should().StartWith("useDcr requires dcrUrl or discoveryUrl");
    }

    [SkippableTheory]
    [InlineData("""{"name":"MCP","useDcr":true,"dcrUrl":"https://mcp.example.com/register"}""")]
    [InlineData("""{"name":"MCP","useDcr":true,"discoveryUrl":"https://mcp.example.com/.well-known/oauth-authorization-server"}""")]
    [InlineData("""{"name":"Plain","useDcr":false}""")]
    public async Task Create_with_useDcr_and_a_dcrUrl_or_discoveryUrl_is_accepted(string body)
    {
        var app = (await (await driver.Management.PostJson("/v1/mgmt/outbound/app/create", body)).ShouldBeOk())["app"]!;

        app["hasClientSecret"]!.GetValue<bool>().Should().BeFalse();
        app["clientId"].Should().BeNull("a useDcr app gets its client id on its first connect");
    }

    [SkippableFact]
    public async Task Update_and_template_overrides_follow_the_same_rule()
    {
        var id = TestApps.NewId();
        await (await driver.Management.PostJson("/v1/mgmt/outbound/app/create",
            new { id, name = "MCP", useDcr = true, dcrUrl = "https://mcp.example.com/register" })).ShouldBeOk();

        var update = await (await driver.Management.PostJson("/v1/mgmt/outbound/app/update",
            new { app = new { id, name = "MCP", useDcr = true } })).ShouldBeError(400, "E011003");
        var template = await (await driver.Management.PostJson("/v1/mgmt/outbound/app/create/bytemplate",
            new { templateId = "github", overrides = new { useDcr = true } })).ShouldBeError(400, "E011003");

        update["errorMessage"]!.GetValue<string>().Should().StartWith("useDcr requires dcrUrl or discoveryUrl");
        template["errorMessage"]!.GetValue<string>().Should().StartWith("overrides: useDcr requires dcrUrl or discoveryUrl");
        (await LoadAppAsync(id))["dcrUrl"]!.GetValue<string>().Should().Be("https://mcp.example.com/register", "the refused update changed nothing");
    }

    async Task<JsonNode> LoadAppAsync(string appId) =>
        (await (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{appId}")).ShouldBeOk())["app"]!;
}

public sealed class DynamicClientRegistrationFailureTests_Sqlite(SqliteConnectVault fixture)
    : DynamicClientRegistrationFailureTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class DynamicClientRegistrationFailureTests_Postgres(PostgresConnectVault fixture)
    : DynamicClientRegistrationFailureTests(fixture), IClassFixture<PostgresConnectVault>;
