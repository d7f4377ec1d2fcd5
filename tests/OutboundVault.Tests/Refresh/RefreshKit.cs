using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Refresh;

/// <summary>
/// One test's provider and app: a fresh fake provider on loopback (its counters start at zero), an app
/// created over HTTP that points at it, and helpers to seed and inspect token rows of that app.
/// </summary>
sealed class RefreshKit : IAsyncDisposable
{
    public const string Outbound = "/v1/mgmt/outbound";

    RefreshKit(WebApplicationFactory<Program> vault, HttpClient management, FakeOAuthProvider fake, string appId)
    {
        Vault = vault;
        Management = management;
        Fake = fake;
        AppId = appId;
    }

    public WebApplicationFactory<Program> Vault { get; }
    public HttpClient Management { get; }
    public FakeOAuthProvider Fake { get; }
    public string AppId { get; }

    public DateTime Now => Vault.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public static async Task<RefreshKit> StartAsync(WebApplicationFactory<Program> vault, FakeProviderOptions? options = null, bool withRevocation = true)
    {
        var fake = await FakeOAuthProvider.StartAsync(options);
        var management = vault.CreateManagementClient();
        var appId = TestApps.NewId("rapp");
        await (await management.PostJson($"{Outbound}/app/create", new
        {
            id = appId,
            name = "Refresh " + appId,
            clientId = fake.Options.ClientId,
            clientSecret = fake.Options.ClientSecret,
            authorizationUrl = fake.AuthorizationUrl,
            tokenUrl = fake.TokenUrl,
            revocationUrl = withRevocation ? fake.RevocationUrl : null,
        })).ShouldBeOk();
        return new RefreshKit(vault, management, fake, appId);
    }

    /// <summary>Stores a token for a new user, as an upload would; its refresh token is live at the fake.</summary>
    public async Task<OutboundToken> SeedAsync(DateTime? expiresAt, bool withRefreshToken = true, string? userId = null, string kind = TokenKinds.OAuth)
    {
        using var scope = Vault.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<TokenStore>();
        var grant = kind == TokenKinds.ApiKey
            ? Grant.ApiKey(AppId, TokenOwner.User(userId ?? TestApps.NewId("user")), "key-" + Guid.NewGuid().ToString("N"))
            : new Grant(AppId, TokenOwner.User(userId ?? TestApps.NewId("user")), TokenKinds.OAuth, "at_seed_" + Guid.NewGuid().ToString("N"),
                withRefreshToken ? Fake.IssueRefreshToken("read") : null, "Bearer", expiresAt, ["read"]);
        return await store.SaveAsync(grant, CancellationToken.None);
    }

    public async Task<OutboundToken> ReadAsync(string id)
    {
        using var scope = Vault.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    public async Task<bool> ExistsAsync(string id)
    {
        using var scope = Vault.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.AnyAsync(t => t.Id == id);
    }

    /// <summary>Changes a row directly, the way another instance (or an operator) would.</summary>
    public async Task UpdateAsync(string id, Action<OutboundToken> change)
    {
        using var scope = Vault.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
        var row = await db.Tokens.SingleAsync(t => t.Id == id);
        change(row);
        await db.SaveChangesAsync();
    }

    /// <summary>Writes new secrets to a row and gives it a new version, as another instance's refresh would.</summary>
    public async Task WriteSecretsAsync(string id, string accessToken, string? refreshToken, DateTime expiresAt)
    {
        using var scope = Vault.Services.CreateScope();
        var (db, store) = (scope.ServiceProvider.GetRequiredService<VaultDbContext>(), scope.ServiceProvider.GetRequiredService<TokenStore>());
        var row = await db.Tokens.SingleAsync(t => t.Id == id);
        store.WriteSecrets(row, accessToken, refreshToken);
        row.AccessTokenExpiresAt = expiresAt;
        row.LeaseOwner = null;
        row.LeaseExpiresAt = null;
        await db.SaveChangesAsync();
    }

    public (string? Access, string? Refresh) Secrets(OutboundToken token)
    {
        using var scope = Vault.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<TokenStore>();
        return (store.ReadAccessToken(token), store.ReadRefreshToken(token));
    }

    public T Service<T>() where T : notnull => Vault.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Management.Dispose();
        await Fake.DisposeAsync();
    }
}
