using System.Globalization;

namespace OutboundVault.FakeProvider;

/// <summary>
/// Standalone fake provider for manual runs and benchmarks:
/// dotnet run --project tests/OutboundVault.FakeProvider -- --urls http://127.0.0.1:PORT
///   [--latency-ms 50] [--expires-in 3600] [--client-id X] [--client-secret Y] [--no-rotation]
/// Prints its base URL on the first line of stdout, then serves until Ctrl+C.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        FakeProviderOptions options;
        try
        {
            options = ParseArguments(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\nusage: --urls http://127.0.0.1:PORT [--latency-ms N] " +
                "[--expires-in N] [--client-id X] [--client-secret Y] [--no-rotation]");
            return 2;
        }

        await using var fake = await FakeOAuthProvider.StartAsync(options, standalone: true);
        Console.WriteLine(fake.BaseUrl);
        await fake.WaitForShutdownAsync();
        return 0;
    }

    private static FakeProviderOptions ParseArguments(string[] args)
    {
        var options = new FakeProviderOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--urls": options.ListenUrl = Value(); break;
                case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--expires-in": options.ExpiresIn = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--client-id": options.ClientId = Value(); break;
                case "--client-secret": options.ClientSecret = Value(); break;
                case "--no-rotation": options.RotateRefreshTokens = false; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return options;
    }
}
