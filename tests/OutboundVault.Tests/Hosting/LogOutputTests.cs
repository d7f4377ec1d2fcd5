using System.Text.Json.Nodes;
using OutboundVault.Hosting;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Refresh;

namespace OutboundVault.Tests.Hosting;

/// <summary>
/// What the server process really writes to its console sink, with every category at Verbose (what an operator
/// sets to debug): no request query string; and no line a caller's input could forge in the shipped format.
/// </summary>
public sealed class LogOutputTests
{
    static readonly Dictionary<string, string> Verbose = new()
    {
        ["Serilog__MinimumLevel__Default"] = "Verbose",
        ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Verbose",
        ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Verbose",
    };

    [SkippableFact]
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

    [SkippableFact]
    public void A_value_with_cr_lf_cannot_forge_a_line_in_the_shipped_console_format()
    {
        const string forged = "[00:00:00 INF] OutboundVault.Security: forged";
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!
            ["Serilog"]!["WriteTo"]![0]!["Args"]!["outputTemplate"]!.GetValue<string>();
        using var written = new StringWriter();
        using (var logger = new Serilog.LoggerConfiguration().Enrich.With<LogScrubber>().WriteTo.Sink(new TextSink(template, written)).CreateLogger())
        {
            logger.Information("Access token of {Subject} uses app {AppId}", $"victim\r\n{forged}", "app");
        }

        written.ToString().Split('\n').Should().NotContain(l => l.StartsWith(forged, StringComparison.Ordinal));
    }

    static string TokenSecret(string what) => $"{what}{Guid.NewGuid():N}";

    /// <summary>Runs <paramref name="body"/> against a vault process logging at Verbose and returns what it wrote.</summary>
    static async Task<string> WithVaultAsync(Func<VaultProcess, Task> body)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var vault = await VaultProcesses.StartAsync(database, Verbose);
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

    /// <summary>Serilog's own text formatter, the one its console sink uses, writing to a string.</summary>
    sealed class TextSink(string template, TextWriter output) : Serilog.Core.ILogEventSink
    {
        readonly Serilog.Formatting.Display.MessageTemplateTextFormatter formatter = new(template);

        public void Emit(Serilog.Events.LogEvent logEvent) => formatter.Format(logEvent, output);
    }
}
