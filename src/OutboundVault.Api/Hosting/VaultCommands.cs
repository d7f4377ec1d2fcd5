using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Hosting;

/// <summary>
/// Operator commands run instead of the server: <c>dotnet OutboundVault.Api.dll &lt;command&gt;</c> (or
/// <c>dotnet run --project src/OutboundVault.Api -- &lt;command&gt;</c>), with the same configuration as the
/// server. They run after the start-up preparation (migrations, key check), beside a running server too, and
/// write their result alone on stdout (logs go to stderr).
/// </summary>
static class VaultCommands
{
    const string Keys = "keys";
    const string Usage = "Commands: reencrypt (seal every stored secret under the primary encryption key); " +
        "keys create --role admin|fetch [--apps a,b]; keys list; keys revoke <id>.";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Options (--urls, --Database:Provider=...) and key=value settings belong to the server.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal);

    /// <returns>True when <paramref name="args"/> named a command, which has then run (the exit code says how it went).</returns>
    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        if (!IsCommand(args)) return false;
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            Environment.ExitCode = args[0] switch
            {
                ReencryptCommand.Name => await ReencryptAsync(scope.ServiceProvider),
                Keys => await KeysAsync(scope.ServiceProvider, args[1..]),
                _ => await FailAsync($"Unknown command '{args[0]}'. {Usage}"),
            };
        }
        catch (VaultException ex)
        {
            Environment.ExitCode = await FailAsync(ex.Message);
        }
        // Commands run without the background services: their audit records are written here.
        await scope.ServiceProvider.GetRequiredService<Audit.AuditLog>().FlushAsync(scope.ServiceProvider.GetRequiredService<Data.VaultDbContext>(), CancellationToken.None);
        return true;
    }

    static async Task<int> ReencryptAsync(IServiceProvider services)
    {
        var report = await ActivatorUtilities.CreateInstance<ReencryptCommand>(services).RunAsync(CancellationToken.None);
        report.WriteTo(Console.Out);
        services.GetRequiredService<Audit.AuditLog>().Record(Audit.AuditActions.Reencrypt, appId: null, outcome: report.Complete ? Audit.AuditOutcomes.Ok : "incomplete");
        return report.Complete ? 0 : 3;
    }

    /// <summary>The <c>/v1/mgmt/keys</c> routes on the command line, answering the same JSON.</summary>
    static async Task<int> KeysAsync(IServiceProvider services, string[] args)
    {
        var keys = services.GetRequiredService<ManagementKeys>();
        object answer;
        switch (args)
        {
            case ["create", .. var options]:
                var request = new CreateKeyRequest(Option(options, "--role"),
                    Option(options, "--apps")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList());
                await services.GetRequiredService<IValidator<CreateKeyRequest>>().EnsureValidAsync(request, "keys create", CancellationToken.None);
                var (key, cleartext) = await keys.CreateAsync(request.Role!, request.AppIds ?? [], CancellationToken.None);
                answer = new CreatedKeyResponse(KeyResponse.For(key), cleartext);
                break;
            case ["list"]:
                answer = new KeysResponse([.. (await keys.ListAsync(CancellationToken.None)).Select(KeyResponse.For)]);
                break;
            case ["revoke", var id]:
                await keys.RevokeAsync(id, CancellationToken.None);
                answer = EmptyResponse.Instance;
                break;
            default:
                return await FailAsync(Usage);
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(answer, answer.GetType(), Json));
        return 0;
    }

    static string? Option(string[] options, string name)
    {
        var at = Array.IndexOf(options, name);
        return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
    }

    static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return 2;
    }
}
