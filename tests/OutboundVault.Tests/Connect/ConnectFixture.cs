using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// A vault set up for connect tests: a public base URL that is never contacted (tests read redirects
/// rather than follow them), an identity provider for user JWTs (a fake provider's key and discovery
/// document) and one extra allowed redirect host.
/// </summary>
public abstract class ConnectFixture(DatabaseKind kind) : VaultFixture(kind)
{
    public const string Audience = "outboundvault-tests";
    public const string PublicBaseUrl = "https://vault.example.test";
    public const string CallbackUri = PublicBaseUrl + "/v1/outbound/oauth/callback";
    public const string AllowedRedirectHost = "allowed.example.test";

    public FakeOAuthProvider IdentityProvider { get; private set; } = null!;

    /// <summary>False: callback URIs come from the request (a configured "" is refused by the OAuth options).</summary>
    protected virtual bool UsePublicBaseUrl => true;

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Connect:Jwt:Authority"] = IdentityProvider.Issuer,
                ["Connect:Jwt:Audience"] = Audience,
                ["Connect:Jwt:RequireHttpsMetadata"] = "false",
                ["Connect:AllowedRedirectHosts:0"] = AllowedRedirectHost,
            };
            if (UsePublicBaseUrl) settings["OAuth:PublicBaseUrl"] = PublicBaseUrl;
            return settings;
        }
    }

    protected override async Task BeforeStartAsync() => IdentityProvider = await FakeOAuthProvider.StartAsync();

    protected override async Task AfterStopAsync() => await IdentityProvider.DisposeAsync();
}

public sealed class SqliteConnectVault() : ConnectFixture(DatabaseKind.Sqlite);

public sealed class PostgresConnectVault() : ConnectFixture(DatabaseKind.Postgres);

/// <summary>A vault behind a reverse proxy, without OAuth:PublicBaseUrl.</summary>
public sealed class SqliteProxiedVault() : ConnectFixture(DatabaseKind.Sqlite)
{
    protected override bool UsePublicBaseUrl => false;
}

public sealed class PostgresProxiedVault() : ConnectFixture(DatabaseKind.Postgres)
{
    protected override bool UsePublicBaseUrl => false;
}

/// <summary>A vault with Connect:BindToBrowser on.</summary>
public abstract class BoundConnectFixture(DatabaseKind kind) : ConnectFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Connect:BindToBrowser"] = "true" };
}

public sealed class SqliteBoundConnectVault() : BoundConnectFixture(DatabaseKind.Sqlite);

public sealed class PostgresBoundConnectVault() : BoundConnectFixture(DatabaseKind.Postgres);
