using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Drives a connect the way a backend and a browser would: POST connect, follow the authorization URL to
/// the fake provider (loopback only, redirects read and never followed), then bring the provider's
/// redirect to the vault's callback.
/// </summary>
sealed class ConnectDriver(VaultFactory vault)
{
    public const string UserConnect = "/v1/outbound/oauth/connect";
    public const string ManagementConnect = "/v1/mgmt/outbound/app/connect";
    public const string RedirectUrl = TestApps.RedirectUrl;

    static readonly HttpClient Browser = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });

    public VaultFactory Vault => vault;
    public HttpClient Management { get; } = vault.CreateManagementClient();
    /// <summary>The vault as a browser reaches it, with redirects left for the test to read.</summary>
    public HttpClient VaultBrowser { get; } = vault.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>An OAuth app for <paramref name="fake"/> with explicit endpoints, PKCE on and a default redirect URL.</summary>
    public Task<string> CreateAppAsync(FakeOAuthProvider fake, Action<JsonObject>? customize = null) =>
        Management.CreateAsync(TestApps.For(fake), customize);

    public Task<HttpResponseMessage> PostConnectAsync(object body, HttpClient? caller = null, string path = UserConnect) =>
        (caller ?? Management).PostJson(path, body);

    /// <summary>Starts a connect and returns the provider authorization URL.</summary>
    public async Task<Uri> ConnectAsync(object body, HttpClient? caller = null, string path = UserConnect)
    {
        var answer = await (await PostConnectAsync(body, caller, path)).ShouldBeOk();
        return new Uri(answer["url"]!.GetValue<string>());
    }

    /// <summary>What the provider's authorize endpoint redirects the browser to (the vault callback).</summary>
    public static async Task<Uri> AuthorizeAsync(Uri authorizationUrl)
    {
        authorizationUrl.Host.Should().Be("127.0.0.1", "tests only ever send traffic to loopback");
        using var response = await Browser.GetAsync(authorizationUrl);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    /// <summary>Brings a provider redirect to the vault's callback (it names the public base URL, so the path is replayed here).</summary>
    public Task<HttpResponseMessage> CallbackAsync(Uri providerRedirect)
    {
        providerRedirect.GetLeftPart(UriPartial.Path).Should().Be(ConnectFixture.CallbackUri);
        return VaultBrowser.GetAsync(providerRedirect.PathAndQuery);
    }

    /// <summary>Connect, authorize, callback: the callback's response.</summary>
    public async Task<HttpResponseMessage> RunAsync(object body, HttpClient? caller = null, string path = UserConnect) =>
        await CallbackAsync(await AuthorizeAsync(await ConnectAsync(body, caller, path)));

    public static Dictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>The markers of a callback that redirected to <paramref name="expectedTarget"/>.</summary>
    public static Dictionary<string, string> Markers(HttpResponseMessage callback, string expectedTarget = RedirectUrl)
    {
        callback.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = callback.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be(expectedTarget);
        callback.Headers.TryGetValues("Referrer-Policy", out var policy).Should().BeTrue();
        policy!.Single().Should().Be("no-referrer");
        return Query(location);
    }

    public async Task<T> WithStoreAsync<T>(Func<TokenStore, Task<T>> action)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TokenStore>());
    }

    public Task<List<OutboundToken>> TokensAsync(string appId) =>
        WithDbAsync(db => db.Tokens.AsNoTracking().Where(t => t.AppId == appId).ToListAsync());

    public Task<int> PendingCountAsync(string appId) =>
        WithDbAsync(db => db.PendingConnections.CountAsync(p => p.AppId == appId));

    public async Task WithDbAsync(Func<VaultDbContext, Task> action) => await WithDbAsync(async db => { await action(db); return true; });

    public async Task<T> WithDbAsync<T>(Func<VaultDbContext, Task<T>> action)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<VaultDbContext>());
    }
}
