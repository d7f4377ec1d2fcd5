using System.Diagnostics;
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task An_unconnected_user_is_asked_once_to_connect_and_then_the_tool_returns_the_profile(bool withManagementKey) =>
        WithStackAsync(withManagementKey, ConnectOnceThenProfileAsync);

    [Fact]
    public Task A_client_without_url_elicitation_gets_an_error_result_carrying_the_connect_link() =>
        WithStackAsync(withManagementKey: false, async (idp, provider, _, mcpBase) =>
        {
            var accessToken = idp.CreateUserJwt("mcp-user-2", Audience, claims: new Dictionary<string, object> { ["scope"] = "outbound.token.fetch" });
            await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(mcpBase + "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {accessToken}" },
            }), new McpClientOptions { ProtocolVersion = "2025-11-25" });

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
        var mcpPort = FreePort();
        var mcpBase = $"http://127.0.0.1:{mcpPort}";
        var vault = await VaultProcess.StartAsync(database, new Dictionary<string, string>
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
        var settings = new Dictionary<string, string>
        {
            ["Vault__BaseUrl"] = vault.BaseUrl,
            ["Vault__ProjectId"] = VaultFactory.ProjectId,
            ["Vault__AppId"] = AppId,
            ["Vault__ApiKeyAppId"] = "unused",
            ["Auth__Authority"] = idp.Issuer,
            ["Auth__Audience"] = Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Example__ProfileUrl"] = provider.ProfileUrl,
            ["Example__PublicBaseUrl"] = mcpBase,
        };
        if (withManagementKey) settings["Vault__ManagementKey"] = VaultFactory.ManagementKey;
        using var mcp = StartMcpServer(mcpBase, settings);
        try
        {
            await WaitForAsync(mcpBase + "/.well-known/oauth-protected-resource", mcp);
            await body(idp, provider, vault, mcpBase);
        }
        finally
        {
            mcp.Kill(entireProcessTree: true);
            await vault.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    static async Task ConnectOnceThenProfileAsync(FakeOAuthProvider idp, FakeOAuthProvider provider, VaultProcess vault, string mcpBase)
    {

        var accessToken = idp.CreateUserJwt("mcp-user-1", Audience, claims: new Dictionary<string, object> { ["scope"] = "outbound.token.fetch" });
        var completed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(mcpBase + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {accessToken}" },
        }), new McpClientOptions
        {
            ProtocolVersion = "2025-11-25",
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
        });
        await using var onComplete = client.RegisterNotificationHandler(NotificationMethods.ElicitationCompleteNotification, (notification, _) =>
        {
            completed.TrySetResult(notification.Params?.Deserialize<ElicitationCompleteNotificationParams>(McpJsonUtilities.DefaultOptions)?.ElicitationId);
            return ValueTask.CompletedTask;
        });

        var required = await FluentActions.Awaiting(() => client.CallToolAsync("get_profile").AsTask())
            .Should().ThrowAsync<UrlElicitationRequiredException>();
        var elicitation = required.Which.Elicitations.Should().ContainSingle().Subject;
        // The vault's connect URL: the provider's consent, returning to the vault's callback.
        elicitation.Url.Should().StartWith(provider.AuthorizationUrl).And.Contain(Uri.EscapeDataString(vault.BaseUrl + "/v1/outbound/oauth/callback"));
        // The user's browser: provider consent → vault callback → the MCP server's /connected page.
        using var browser = new HttpClient();
        var landed = await browser.GetAsync(elicitation.Url);
        landed.StatusCode.Should().Be(HttpStatusCode.OK, await landed.Content.ReadAsStringAsync());
        (await completed.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(elicitation.ElicitationId);

        var result = await client.CallToolAsync("get_profile");

        result.IsError.Should().NotBe(true);
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Fake Profile User");
    }

    static Process StartMcpServer(string baseUrl, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ExampleDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task WaitForAsync(string url, Process process)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The MCP server exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The MCP server did not come up");
    }

    static string ExampleDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OutboundVault.sln"))) root = root.Parent;
        return Path.Combine(root!.FullName, "examples", "McpServer", "bin", output.Parent!.Name, output.Name, "McpServer.dll");
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
