using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Refresh;

namespace OutboundVault.Tests.Hosting;

/// <summary>
/// What the server process really writes to its console sink, with every category at Verbose (what an operator
/// sets to debug): no request query string, and no line a caller's input could forge.
/// </summary>
public sealed class LogOutputTests
{
    static readonly Dictionary<string, string> Verbose = new()
    {
        ["Serilog__MinimumLevel__Default"] = "Verbose",
        ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Verbose",
        ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Verbose",
    };

    [Fact]
    public async Task The_callbacks_code_and_state_and_the_key_pages_state_never_reach_the_log_at_verbose()
    {
        var (code, state, pageState) = (TokenSecret("code"), TokenSecret("state"), TokenSecret("page"));

        var output = await WithVaultAsync(async vault =>
        {
            using var browser = new HttpClient { BaseAddress = new Uri(vault.BaseUrl) };
            await browser.GetAsync($"/v1/outbound/oauth/callback?code={code}&state={state}");
            await browser.GetAsync($"/v1/outbound/apikey?state={pageState}");
        });

        (output.Contains("/v1/outbound/oauth/callback", StringComparison.Ordinal), output.Contains(code, StringComparison.Ordinal),
            output.Contains(state, StringComparison.Ordinal), output.Contains(pageState, StringComparison.Ordinal))
            .Should().Be((true, false, false, false), "the requests are logged, without their query strings");
    }

    [Fact]
    public async Task A_user_id_with_cr_lf_cannot_forge_a_log_line()
    {
        const string forged = "[00:00:00 INF] OutboundVault.Security: forged";

        var output = await WithVaultAsync(async vault =>
        {
            await (await vault.Client.PostJson("/v1/mgmt/outbound/app/create",
                new { id = "keys", name = "Keys", appType = "apikey", defaultRedirectUrl = "http://127.0.0.1:9/done" })).ShouldBeOk();
            await (await vault.Client.PostJson("/v1/mgmt/outbound/app/connect",
                new { appId = "keys", userId = $"victim\r\n{forged}" })).ShouldBeOk();
        });

        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        (lines.Any(l => l.StartsWith(forged, StringComparison.Ordinal)), lines.Any(l => l.Contains(@"victim\u000d\u000a" + forged, StringComparison.Ordinal)))
            .Should().Be((false, true), "the user id is logged on its own line, its CR/LF escaped");
    }

    static string TokenSecret(string what) => $"{what}{Guid.NewGuid():N}";

    /// <summary>Runs <paramref name="body"/> against a vault process logging at Verbose and returns what it wrote.</summary>
    static async Task<string> WithVaultAsync(Func<VaultProcess, Task> body)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var vault = await VaultProcess.StartAsync(database, Verbose);
        try
        {
            await body(vault);
            await Task.Delay(500); // the console sink writes on its own thread
            return vault.Output;
        }
        finally
        {
            await vault.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
