using System.Globalization;

namespace OutboundVault.FakeProvider;

/// <summary>
/// Standalone fake provider for manual runs and benchmarks:
/// dotnet run --project tests/OutboundVault.FakeProvider -- --urls http://127.0.0.1:PORT
///   [--latency-ms 50] [--expires-in 3600] [--client-id X] [--client-secret Y] [--no-rotation]
///   [--seed-refresh-tokens N --seed-file PATH]
/// Prints its base URL on the first line of stdout, then serves until Ctrl+C. With --seed-refresh-tokens it
/// first issues N live refresh tokens (as if N users had connected) and writes them to PATH, one per line.
/// </summary>
static class Program
{
    static async Task<int> Main(string[] args)
    {
        FakeProviderOptions options;
        Seed seed;
        try
        {
            (options, seed) = ParseArguments(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\nusage: --urls http://127.0.0.1:PORT [--latency-ms N] " +
                "[--expires-in N] [--client-id X] [--client-secret Y] [--no-rotation] [--seed-refresh-tokens N --seed-file PATH]");
            return 2;
        }

        await using var fake = await FakeOAuthProvider.StartAsync(options, standalone: true);
        if (seed.Count > 0)
        {
            await File.WriteAllLinesAsync(seed.File!, Enumerable.Range(0, seed.Count).Select(_ => fake.IssueRefreshToken("read")));
        }

        Console.WriteLine(fake.BaseUrl);
        await fake.WaitForShutdownAsync();
        return 0;
    }

    static (FakeProviderOptions Options, Seed Seed) ParseArguments(string[] args)
    {
        var options = new FakeProviderOptions();
        var seed = new Seed(0, null);
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
                case "--seed-refresh-tokens": seed = seed with { Count = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--seed-file": seed = seed with { File = Value() }; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (seed.Count > 0 && seed.File is null)
        {
            throw new ArgumentException("--seed-refresh-tokens needs --seed-file");
        }

        return (options, seed);
    }

    sealed record Seed(int Count, string? File);
}
