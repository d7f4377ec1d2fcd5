using System.Net;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Connect;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Mcp;

/// <summary>
/// Apps for remote MCP servers (create/bymcpserver): the example MCP server (its own process) is the remote
/// server, a fake authorization server issues JWTs for the RFC 8707 resource, and the real C# MCP client
/// proves the token the vault keeps is one the remote server accepts.
/// </summary>
public abstract class RemoteMcpServerAppTests(ConnectFixture fixture)
{
    const string Create = "/v1/mgmt/outbound/app/create/bymcpserver";
    const string Landing = "https://" + ConnectFixture.AllowedRedirectHost + "/connected";
    readonly ConnectDriver driver = new(fixture.Vault);

    [SkippableFact]
    public Task The_app_is_filled_from_the_servers_metadata_with_the_resource_in_its_standard_fields() =>
        WithRemoteServerAsync(async (authorizationServer, mcp) =>
        {
            var app = (await (await driver.Management.PostJson(Create, new { mcpServerUrl = mcp.McpUrl })).ShouldBeOk())["app"]!;

            new
            {
                authorizationUrl = (string?)app["authorizationUrl"],
                tokenUrl = (string?)app["tokenUrl"],
                revocationUrl = (string?)app["revocationUrl"],
                dcrUrl = (string?)app["dcrUrl"],
                useDcr = (bool?)app["useDcr"],
                pkce = (bool?)app["pkce"],
                authorizationUrlParams = app["authorizationUrlParams"]!.ToJsonString(),
                tokenUrlParams = app["tokenUrlParams"]!.ToJsonString(),
                defaultScopes = app["defaultScopes"]!.ToJsonString(),
            }.Should().BeEquivalentTo(new
            {
                authorizationUrl = authorizationServer.AuthorizationUrl,
                tokenUrl = authorizationServer.TokenUrl,
                revocationUrl = authorizationServer.RevocationUrl,
                dcrUrl = authorizationServer.RegistrationUrl,
                useDcr = true,
                pkce = true,
                authorizationUrlParams = ResourceParams(mcp.McpUrl),
                tokenUrlParams = ResourceParams(mcp.McpUrl),
                defaultScopes = """["outbound.token.fetch"]""",
            });
        });

    [SkippableFact]
    public Task Connect_registers_the_vault_once_and_sends_the_resource_on_authorize_and_code_exchange() =>
        WithRemoteServerAsync(async (authorizationServer, mcp) =>
        {
            var appId = await CreateAsync(mcp);

            var authorize = await driver.ConnectAsync(new { appId, userId = "remote-user-1", options = new { redirectUrl = Landing } });
            var callback = await driver.CallbackAsync(await ConnectDriver.AuthorizeAsync(authorize));

            (ConnectDriver.Markers(callback, Landing)["outbound_status"], authorizationServer.Registrations,
                    ConnectDriver.Query(authorize)["resource"], authorizationServer.LastTokenRequest!.Form["resource"])
                .Should().Be(("success", 1, mcp.McpUrl, mcp.McpUrl));
        });

    [SkippableFact]
    public Task A_connected_user_gets_a_token_the_remote_mcp_server_accepts() =>
        WithRemoteServerAsync(async (_, mcp) =>
        {
            var appId = await ConnectAsync(mcp, "remote-user-2");

            var tools = await ListToolsAsync(mcp, await FetchAsync(appId, "remote-user-2", forceRefresh: false));

            tools.Should().Contain("get_profile");
        });

    [SkippableFact]
    public Task A_refresh_sends_the_resource_and_the_refreshed_token_is_accepted_too() =>
        WithRemoteServerAsync(async (authorizationServer, mcp) =>
        {
            var appId = await ConnectAsync(mcp, "remote-user-3");

            var refreshed = await FetchAsync(appId, "remote-user-3", forceRefresh: true);

            var refresh = authorizationServer.LastTokenRequest!.Form;
            (refresh["grant_type"], refresh["resource"], (await ListToolsAsync(mcp, refreshed)).Contains("get_profile"))
                .Should().Be(("refresh_token", mcp.McpUrl, true));
        });

    [SkippableFact]
    public async Task Metadata_published_only_at_the_root_well_known_path_is_found_without_a_challenge()
    {
        await using var authorizationServer = await FakeOAuthProvider.StartAsync();
        await using var resource = await MetadataServer.StartAsync(baseUrl => new { resource = baseUrl + "/mcp", authorization_servers = new[] { authorizationServer.Issuer } });

        var app = (await (await driver.Management.PostJson(Create, new { mcpServerUrl = resource.BaseUrl + "/mcp" })).ShouldBeOk())["app"]!;

        ((string?)app["authorizationUrl"]).Should().Be(authorizationServer.AuthorizationUrl);
    }

    [SkippableFact]
    public async Task Metadata_naming_another_resource_is_refused_and_no_app_is_created()
    {
        await using var authorizationServer = await FakeOAuthProvider.StartAsync();
        await using var resource = await MetadataServer.StartAsync(_ => new { resource = "http://127.0.0.1:9/elsewhere", authorization_servers = new[] { authorizationServer.Issuer } });
        var id = TestApps.NewId("remote");

        var error = await (await driver.Management.PostJson(Create, new { mcpServerUrl = resource.BaseUrl + "/mcp", id })).ShouldBeError(400, "E011003");

        (error["errorMessage"]!.GetValue<string>().Contains("names the resource", StringComparison.Ordinal),
                (await driver.Management.GetAsync($"/v1/mgmt/outbound/app/{id}")).StatusCode)
            .Should().Be((true, HttpStatusCode.NotFound));
    }

    [SkippableFact]
    public Task An_authorization_server_that_does_not_advertise_S256_is_refused() =>
        WithRemoteServerAsync(new FakeProviderOptions { PublishChallengeMethods = false }, async (_, mcp) =>
        {
            var error = await (await driver.Management.PostJson(Create, new { mcpServerUrl = mcp.McpUrl })).ShouldBeError(400, "E011003");

            error["errorMessage"]!.GetValue<string>().Should().Contain("S256");
        });

    [SkippableFact]
    public Task Without_dynamic_registration_the_client_id_is_asked_for() =>
        WithRemoteServerAsync(new FakeProviderOptions { PublishRegistrationEndpoint = false }, async (_, mcp) =>
        {
            var error = await (await driver.Management.PostJson(Create, new { mcpServerUrl = mcp.McpUrl })).ShouldBeError(400, "E011003");

            error["errorMessage"]!.GetValue<string>().Should().Contain("pass the clientId");
        });

    [SkippableFact]
    public async Task A_loopback_mcp_server_is_refused_while_private_targets_are_off()
    {
        var guarded = new ConnectDriver(fixture.Start(new Dictionary<string, string?> { ["OAuth:AllowPrivateNetworkTargets"] = "false" }));
        await using var authorizationServer = await FakeOAuthProvider.StartAsync();
        await using var resource = await MetadataServer.StartAsync(baseUrl => new { resource = baseUrl + "/mcp", authorization_servers = new[] { authorizationServer.Issuer } });

        var error = await (await guarded.Management.PostJson(Create, new { mcpServerUrl = resource.BaseUrl + "/mcp" })).ShouldBeError(400, "E011003");

        (error["errorMessage"]!.GetValue<string>().Contains("OAuth:AllowPrivateNetworkTargets", StringComparison.Ordinal), resource.Requests)
            .Should().Be((true, 0));
    }

    [SkippableFact]
    public async Task A_missing_mcp_server_url_is_a_missing_argument()
    {
        var error = await (await driver.Management.PostJson(Create, new { name = "No URL" })).ShouldBeError(400, "E011002");

        error["errorMessage"]!.GetValue<string>().Should().Contain("mcpServerUrl");
    }

    static string ResourceParams(string resource) => new JsonArray(new JsonObject { ["key"] = "resource", ["value"] = resource }).ToJsonString();

    async Task<string> CreateAsync(ExampleMcpServerProcess mcp)
    {
        var id = TestApps.NewId("remote");
        await (await driver.Management.PostJson(Create, new { mcpServerUrl = mcp.McpUrl, id })).ShouldBeOk();
        return id;
    }

    async Task<string> ConnectAsync(ExampleMcpServerProcess mcp, string userId)
    {
        var appId = await CreateAsync(mcp);
        var callback = await driver.RunAsync(new { appId, userId, options = new { redirectUrl = Landing } });
        ConnectDriver.Markers(callback, Landing)["outbound_status"].Should().Be("success");
        return appId;
    }

    async Task<string> FetchAsync(string appId, string userId, bool forceRefresh)
    {
        var answer = await (await driver.Management.PostJson("/v1/mgmt/outbound/app/user/token/latest",
            new { appId, userId, options = new { forceRefresh } })).ShouldBeOk();
        return answer["token"]!["accessToken"]!.GetValue<string>();
    }

    static async Task<List<string>> ListToolsAsync(ExampleMcpServerProcess mcp, string accessToken)
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcp.McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {accessToken}" },
        }));
        return (await client.ListToolsAsync()).Select(t => t.Name).ToList();
    }

    /// <summary>A fake authorization server and the example MCP server protected by it (the resource is its /mcp URL).</summary>
    static Task WithRemoteServerAsync(Func<FakeOAuthProvider, ExampleMcpServerProcess, Task> body) =>
        WithRemoteServerAsync(new FakeProviderOptions(), body);

    static async Task WithRemoteServerAsync(FakeProviderOptions options, Func<FakeOAuthProvider, ExampleMcpServerProcess, Task> body)
    {
        await using var authorizationServer = await FakeOAuthProvider.StartAsync(options);
        var baseUrl = ExampleMcpServerProcess.NewBaseUrl();
        using var mcp = await ExampleMcpServerProcess.StartAsync(baseUrl, new Dictionary<string, string>
        {
            ["Auth__Authority"] = authorizationServer.Issuer,
            ["Auth__Audience"] = baseUrl + "/mcp",
            ["Auth__RequireHttpsMetadata"] = "false",
        });
        await body(authorizationServer, mcp);
    }
}

public sealed class RemoteMcpServerAppTests_Sqlite(SqliteConnectVault fixture)
    : RemoteMcpServerAppTests(fixture), IClassFixture<SqliteConnectVault>;

public sealed class RemoteMcpServerAppTests_Postgres(PostgresConnectVault fixture)
    : RemoteMcpServerAppTests(fixture), IClassFixture<PostgresConnectVault>;
