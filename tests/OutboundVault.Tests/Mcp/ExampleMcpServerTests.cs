using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Refresh;

namespace OutboundVault.Tests.Mcp;

/// <summary>
/// End to end with a real MCP client: the C# ModelContextProtocol client talks to examples/McpServer (its own
/// process), which fetches the caller's token from the vault (its own process, on PostgreSQL) by forwarding
/// the caller's access token, or with the management key. Every peer is on 127.0.0.1.
/// </summary>
public sealed class ExampleMcpServerTests
{
    const string Audience = "example-mcp";
    const string AppId = "profile-app";
    const string ApiKeyAppId = "weather-key";

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public Task An_unconnected_user_is_asked_once_to_connect_and_then_the_tool_returns_the_profile(bool withManagementKey) =>
        WithStackAsync(withManagementKey, ConnectOnceThenProfileAsync);

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_user_types_an_api_key_on_the_vault_page_and_the_tool_then_reports_it_stored_without_echoing_it(bool withManagementKey) =>
        WithStackAsync(withManagementKey, async (idp, _, vault, mcpBase) =>
        {
            const string typedKey = "wk_live_example_0123456789";
            await using var client = await ConnectAsync(mcpBase, FetchToken(idp, "mcp-user-3"), urlElicitation: true);
            var completed = AwaitElicitationComplete(client);
            var required = await FluentActions.Awaiting(() => client.CallToolAsync("get_api_key_status").AsTask())
                .Should().ThrowAsync<UrlElicitationRequiredException>();
            var elicitation = required.Which.Elicitations.Should().ContainSingle().Subject;
            elicitation.Url.Should().StartWith(vault.BaseUrl + "/v1/outbound/apikey?state=");
            // The user's browser: the vault's page, the typed key posted as a form, then the MCP server's /connected page.
            using var browser = new HttpClient();
            var form = await browser.GetStringAsync(elicitation.Url);
            form.Should().Contain("name=\"apiKey\"");
            var state = System.Web.HttpUtility.ParseQueryString(new Uri(elicitation.Url!).Query)["state"]!;
            var landed = await browser.PostAsync(vault.BaseUrl + "/v1/outbound/apikey",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["apiKey"] = typedKey }));
            landed.StatusCode.Should().Be(HttpStatusCode.OK, await landed.Content.ReadAsStringAsync());
            (await completed.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(elicitation.ElicitationId);

            var result = await client.CallToolAsync("get_api_key_status");

            (result.IsError, result.Content.OfType<TextContentBlock>().Single().Text)
                .Should().Be((false, $"An API key for {ApiKeyAppId} is stored."));
        });

    [SkippableFact]
    public Task A_client_without_url_elicitation_gets_an_error_result_carrying_the_connect_link() =>
        WithStackAsync(withManagementKey: false, async (idp, provider, _, mcpBase) =>
        {
            await using var client = await ConnectAsync(mcpBase, FetchToken(idp, "mcp-user-2"), urlElicitation: false);

            var result = await client.CallToolAsync("get_profile");

            (result.IsError, result.Content.OfType<TextContentBlock>().Single().Text.Contains(provider.AuthorizationUrl, StringComparison.Ordinal))
                .Should().Be((true, true));
        });

    /// <summary>The identity provider, the OAuth provider, the vault (its own process, on PostgreSQL) and the example MCP server.</summary>
    static async Task WithStackAsync(bool withManagementKey, Func<FakeOAuthProvider, FakeOAuthProvider, VaultProcess, string, Task> body)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var idp = await FakeOAuthProvider.StartAsync();
        await using var provider = await FakeOAuthProvider.StartAsync();
        var mcpBase = ExampleMcpServerProcess.NewBaseUrl();
        var vault = await VaultProcesses.StartAsync(database, new Dictionary<string, string>
        {
            ["Connect__Jwt__Authority"] = idp.Issuer,
            ["Connect__Jwt__Audience"] = Audience,
            ["Connect__Jwt__RequireHttpsMetadata"] = "false",
            ["Connect__AllowedRedirectHosts__0"] = "127.0.0.1",
        });
        await (await vault.Client.PostAsJsonAsync("/v1/mgmt/outbound/app/create", new
        {
            id = AppId, name = "Profiles", clientId = provider.Options.ClientId, clientSecret = provider.Options.ClientSecret,
            authorizationUrl = provider.AuthorizationUrl, tokenUrl = provider.TokenUrl, pkce = true,
        })).ShouldBeOk();
        await (await vault.Client.PostAsJsonAsync("/v1/mgmt/outbound/app/create", new { id = ApiKeyAppId, name = "Weather" })).ShouldBeOk();
        var settings = new Dictionary<string, string>
        {
            ["Vault__BaseUrl"] = vault.BaseUrl,
            ["Vault__ProjectId"] = VaultFactory.ProjectId,
            ["Vault__AppId"] = AppId,
            ["Vault__ApiKeyAppId"] = ApiKeyAppId,
            ["Auth__Authority"] = idp.Issuer,
            ["Auth__Audience"] = Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Example__ProfileUrl"] = provider.ProfileUrl,
        };
        if (withManagementKey) settings["Vault__ManagementKey"] = VaultFactory.ManagementKey;
        try
        {
            using var mcp = await ExampleMcpServerProcess.StartAsync(mcpBase, settings);
            await body(idp, provider, vault, mcpBase);
        }
        finally
        {
            await vault.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    static async Task ConnectOnceThenProfileAsync(FakeOAuthProvider idp, FakeOAuthProvider provider, VaultProcess vault, string mcpBase)
    {
        var accessToken = FetchToken(idp, "mcp-user-1");
        await using var client = await ConnectAsync(mcpBase, accessToken, urlElicitation: true);
        var completed = AwaitElicitationComplete(client);

        var required = await FluentActions.Awaiting(() => client.CallToolAsync("get_profile").AsTask())
            .Should().ThrowAsync<UrlElicitationRequiredException>();
        var elicitation = required.Which.Elicitations.Should().ContainSingle().Subject;
        // The vault's connect URL: the provider's consent, returning to the vault's callback.
        elicitation.Url.Should().StartWith(provider.AuthorizationUrl).And.Contain(Uri.EscapeDataString(vault.BaseUrl + "/v1/outbound/oauth/callback"));
        // The user's browser: provider consent → vault callback → the MCP server's /connected page.
        using var browser = new HttpClient();
        var landed = await browser.GetAsync(elicitation.Url);
        landed.StatusCode.Should().Be(HttpStatusCode.OK, await landed.Content.ReadAsStringAsync());
        (await completed.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(elicitation.ElicitationId);

        var result = await client.CallToolAsync("get_profile");

        result.IsError.Should().NotBe(true);
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Fake Profile User");
    }

    static string FetchToken(FakeOAuthProvider idp, string userId) =>
        idp.CreateUserJwt(userId, Audience, claims: new Dictionary<string, object> { ["scope"] = "outbound.token.fetch" });

    /// <summary>A real MCP client on the example server, sending the caller's access token, with or without URL elicitation.</summary>
    static Task<McpClient> ConnectAsync(string mcpBase, string accessToken, bool urlElicitation) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcpBase + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {accessToken}" },
        }), new McpClientOptions
        {
            ProtocolVersion = "2025-11-25",
            Capabilities = urlElicitation ? new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } } : null,
        });

    /// <summary>The id of the first notifications/elicitation/complete the server sends.</summary>
    static Task<string?> AwaitElicitationComplete(McpClient client)
    {
        var completed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.RegisterNotificationHandler(NotificationMethods.ElicitationCompleteNotification, (notification, _) =>
        {
            completed.TrySetResult(notification.Params?.Deserialize<ElicitationCompleteNotificationParams>(McpJsonUtilities.DefaultOptions)?.ElicitationId);
            return ValueTask.CompletedTask;
        });
        return completed.Task;
    }
}
