using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OutboundVault.FakeProvider;

/// <summary>
/// A fake OAuth 2.0 / OpenID Connect provider on Kestrel at 127.0.0.1, started in-process by tests
/// (or standalone via Program). Every counter and recorder is thread-safe.
/// </summary>
public sealed class FakeOAuthProvider : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<string> revokedTokens = new();
    readonly ConcurrentQueue<string> registrationRequests = new();
    readonly ConcurrentDictionary<string, bool> accessTokens = new(StringComparer.Ordinal);
    FakeTokenRequest? lastTokenRequest;
    int refreshCalls, codeExchanges, revocations, invalidGrants, discoveryRequests, totalRequests, tokenRequestsInFlight, mostTokenRequestsInFlight;
    int discoveryFailuresLeft;

    /// <summary>The error_description of an injected <see cref="FakeRegistrationFailure.Rejected"/>: must never reach a caller.</summary>
    public const string RegistrationRefusalText = "registration-refusal-canary-4c1e";

    FakeOAuthProvider(WebApplication app, FakeProviderOptions options)
    {
        this.app = app;
        Options = options;
    }

    public FakeProviderOptions Options { get; }

    /// <summary>http://127.0.0.1:PORT, without a trailing slash. Also the issuer.</summary>
    public string BaseUrl { get; private set; } = "";

    public string Issuer => BaseUrl;
    public string AuthorizationUrl => BaseUrl + "/authorize";
    public string TokenUrl => BaseUrl + "/token";
    public string RevocationUrl => BaseUrl + "/revoke";
    public string RegistrationUrl => BaseUrl + "/register";
    public string DiscoveryUrl => BaseUrl + "/.well-known/openid-configuration";
    public string AuthorizationServerMetadataUrl => BaseUrl + "/.well-known/oauth-authorization-server";
    public string JwksUrl => BaseUrl + "/jwks";
    public string StatsUrl => BaseUrl + "/stats";

    /// <summary>A profile API that answers only for an access token this fake issued (Bearer), 401 otherwise.</summary>
    public string ProfileUrl => BaseUrl + "/profile";

    public int RefreshCalls => Volatile.Read(ref refreshCalls);

    /// <summary>The most token requests this provider was answering at one time.</summary>
    public int MostTokenRequestsInFlight => Volatile.Read(ref mostTokenRequestsInFlight);
    public int CodeExchanges => Volatile.Read(ref codeExchanges);
    public int Revocations => Volatile.Read(ref revocations);
    public int InvalidGrants => Volatile.Read(ref invalidGrants);
    public int DiscoveryRequests => Volatile.Read(ref discoveryRequests);

    /// <summary>Requests that reached /register, successful or not.</summary>
    public int Registrations => registrationRequests.Count;

    /// <summary>The raw JSON bodies /register received, in arrival order.</summary>
    public IReadOnlyList<string> RegistrationRequests => registrationRequests.ToArray();

    /// <summary>Clients created through /register, in creation order.</summary>
    public IReadOnlyList<FakeRegisteredClient> RegisteredClients => Clients.All;

    /// <summary>Every HTTP request that reached the fake, whatever its path.</summary>
    public int TotalRequests => Volatile.Read(ref totalRequests);

    /// <summary>Tokens accepted by /revoke, in arrival order.</summary>
    public IReadOnlyList<string> RevokedTokens => revokedTokens.ToArray();

    public FakeTokenRequest? LastTokenRequest => Volatile.Read(ref lastTokenRequest);

    internal FakeGrantStore Grants { get; } = new();
    internal FakeSigningKey SigningKey { get; } = new();
    internal FakeFailureQueue Failures { get; } = new();
    internal FakeClientRegistry Clients { get; } = new();

    public static Task<FakeOAuthProvider> StartAsync(FakeProviderOptions? options = null) =>
        StartAsync(options ?? new FakeProviderOptions(), standalone: false);

    internal static async Task<FakeOAuthProvider> StartAsync(FakeProviderOptions options, bool standalone)
    {
        var port = ParseLoopbackPort(options.ListenUrl);
        var builder = WebApplication.CreateSlimBuilder();
        // The test host's appsettings or environment must not reconfigure the fake (Kestrel endpoints, logging).
        builder.Configuration.Sources.Clear();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        if (!standalone)
        {
            // In a test process, Ctrl+C and SIGTERM belong to the test runner, not to the fake.
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        var fake = new FakeOAuthProvider(builder.Build(), options);
        fake.app.Use((context, next) =>
        {
            Interlocked.Increment(ref fake.totalRequests);
            return next(context);
        });
        FakeEndpoints.Map(fake.app, fake);
        await fake.app.StartAsync();
        // Kestrel reports the port it actually bound when asked for port 0.
        fake.BaseUrl = fake.app.Urls.First().TrimEnd('/');
        return fake;
    }

    /// <summary>The next <paramref name="count"/> token calls fail with <paramref name="failure"/>.</summary>
    public void FailNext(int count, FakeFailure failure) => Failures.Add(count, failure);

    /// <summary>The next <paramref name="count"/> discovery requests answer 500.</summary>
    public void FailNextDiscovery(int count) => Interlocked.Add(ref discoveryFailuresLeft, count);

    /// <summary>Seeds a live refresh token for <see cref="FakeProviderOptions.ClientId"/>, as if a user had connected.</summary>
    public string IssueRefreshToken(string? scope = null) => Grants.IssueRefreshToken(Options.ClientId, scope);

    /// <summary>
    /// Seeds an authorization code as /authorize would, without the browser round trip. With a
    /// verifier the code requires PKCE S256.
    /// </summary>
    public string IssueAuthorizationCode(string redirectUri, string? codeVerifier = null, string? scope = null)
    {
        var challenge = codeVerifier is null
            ? null
            : Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
        return Grants.IssueCode(Options.ClientId, redirectUri, challenge, challenge is null ? null : "S256", scope);
    }

    /// <summary>
    /// A user JWT signed with the key published at /jwks, as an identity provider would issue it (the
    /// fake's discovery document makes it usable as Connect:Jwt:Authority). Defaults: issuer = this fake,
    /// valid for an hour; an <paramref name="expires"/> in the past makes an expired token; <paramref name="claims"/>
    /// adds claims such as <c>scope</c>, <c>scp</c>, <c>tenants</c> or <c>dct</c>.
    /// </summary>
    public string CreateUserJwt(string subject, string audience, DateTime? expires = null, string? issuer = null,
        IReadOnlyDictionary<string, object>? claims = null) =>
        SigningKey.CreateToken(issuer ?? Issuer, audience, subject, expires ?? DateTime.UtcNow.AddHours(1), claims);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        SigningKey.Dispose();
    }

    internal Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    internal void RecordTokenRequest(FakeTokenRequest request) => Volatile.Write(ref lastTokenRequest, request);

    internal string RecordAccessToken(string token)
    {
        accessTokens[token] = true;
        return token;
    }

    internal bool Issued(string accessToken) => accessTokens.ContainsKey(accessToken);

    internal void RecordRevocation(string token) => revokedTokens.Enqueue(token);

    internal void RecordRegistrationRequest(string body) => registrationRequests.Enqueue(body);

    /// <summary>
    /// Whether /authorize may redirect for this client: the configured client to any redirect URI, a
    /// registered one only to a redirect URI it registered (exact match, as RFC 7591 §2 and OAuth 2.1 want).
    /// </summary>
    internal bool IsAuthorizedRedirect(string? clientId, string redirectUri) =>
        clientId == Options.ClientId
        || (Clients.Find(clientId) is { } client && client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal));

    internal void CountGrant(string? grantType)
    {
        if (grantType == "refresh_token")
        {
            Interlocked.Increment(ref refreshCalls);
        }
        else if (grantType == "authorization_code")
        {
            Interlocked.Increment(ref codeExchanges);
        }
    }

    internal void CountInvalidGrant() => Interlocked.Increment(ref invalidGrants);

    /// <summary>A token request arrives: returns what to dispose when its answer is written.</summary>
    internal IDisposable TokenRequestInFlight()
    {
        var now = Interlocked.Increment(ref tokenRequestsInFlight);
        for (var most = Volatile.Read(ref mostTokenRequestsInFlight); now > most; most = Volatile.Read(ref mostTokenRequestsInFlight))
        {
            if (Interlocked.CompareExchange(ref mostTokenRequestsInFlight, now, most) == most) break;
        }
        return new Departure(this);
    }

    sealed class Departure(FakeOAuthProvider fake) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref fake.tokenRequestsInFlight);
    }

    internal void CountRevocation() => Interlocked.Increment(ref revocations);

    internal void CountDiscoveryRequest() => Interlocked.Increment(ref discoveryRequests);

    internal bool TakeDiscoveryFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref discoveryFailuresLeft);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref discoveryFailuresLeft, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    // The fake must never be reachable from outside the machine.
    static int ParseLoopbackPort(string listenUrl) =>
        Uri.TryCreate(listenUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Host == "127.0.0.1"
            ? uri.Port
            : throw new ArgumentException("The fake provider only listens on http://127.0.0.1:PORT.", nameof(listenUrl));

    sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
