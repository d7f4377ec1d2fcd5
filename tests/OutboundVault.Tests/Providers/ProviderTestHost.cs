using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.FakeProvider;
using OutboundVault.Providers;

namespace OutboundVault.Tests.Providers;

/// <summary>A fake provider plus a service provider holding ProviderClient, as AddProviders registers it.</summary>
sealed class ProviderTestHost : IAsyncDisposable
{
    ProviderTestHost(FakeOAuthProvider fake, ServiceProvider services)
    {
        Fake = fake;
        Services = services;
    }

    public FakeOAuthProvider Fake { get; }

    public ServiceProvider Services { get; }

    public ProviderClient Client => Services.GetRequiredService<ProviderClient>();

    /// <summary>
    /// Starts a fake and the client. Private targets are allowed by default because the fake is loopback;
    /// <paramref name="settings"/> overrides any "OAuth:*" key.
    /// </summary>
    public static async Task<ProviderTestHost> StartAsync(
        FakeProviderOptions? fakeOptions = null, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var fake = await FakeOAuthProvider.StartAsync(fakeOptions);
        return new ProviderTestHost(fake, BuildServices(settings, time));
    }

    public static ServiceProvider BuildServices(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["OAuth:AllowPrivateNetworkTargets"] = "true",
            ["OAuth:ProviderTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services.AddProviders(configuration).BuildServiceProvider();
    }

    /// <summary>The fake's client with explicit endpoints (no discovery).</summary>
    public ProviderApp App(string authMethod = ProviderApp.ClientSecretPost, params KeyValuePair<string, string>[] tokenUrlParams) =>
        new("app-1", Fake.Options.ClientId, Fake.Options.ClientSecret, Fake.AuthorizationUrl, Fake.TokenUrl,
            Fake.RevocationUrl, null, tokenUrlParams, authMethod);

    /// <summary>The fake's client known only by its discovery URL.</summary>
    public ProviderApp DiscoveryApp() =>
        new("app-1", Fake.Options.ClientId, Fake.Options.ClientSecret, null, null, null, Fake.DiscoveryUrl, [],
            ProviderApp.ClientSecretPost);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>A clock tests move by hand.</summary>
sealed class ManualTimeProvider : TimeProvider
{
    DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
