using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OutboundVault.Errors;
using OutboundVault.Security;

namespace OutboundVault.Hosting;

/// <summary>Section "RateLimits" (README, Configuration). The defaults leave the benchmarks and tests unthrottled.</summary>
sealed class RateLimitOptions : Hosting.ISettings
{
    public static string SectionName => "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second one management key (or one access token's subject) may make, refilled continuously.</summary>
    public int KeyPerSecond { get; set; } = 50_000;

    /// <summary>How many requests a key may make at once above its rate.</summary>
    public int KeyBurst { get; set; } = 100_000;

    /// <summary>Requests per second from one address without credentials: the callback, the hosted pages, health checks.</summary>
    public int AddressPerSecond { get; set; } = 100;

    public int AddressBurst { get; set; } = 200;

    /// <summary>Failed authentications one address may make per minute; beyond it, every failure answers 429.</summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 300;

    public IEnumerable<string> Problems()
    {
        if (KeyPerSecond <= 0 || KeyBurst <= 0 || AddressPerSecond <= 0 || AddressBurst <= 0 || FailedAuthenticationsPerMinute <= 0)
            yield return "RateLimits: every rate and burst must be positive (turn limits off with RateLimits:Enabled=false).";
    }
}

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by who is calling: a management key by its id, an access token by its
/// subject, anyone else by address. It runs after authentication, so a partition is the caller, not what the
/// caller claims in a header. Refusals answer 429 with Retry-After and the Descope body (the SDKs map 429 to their
/// rate-limit error, and never retry it as they do 503).
/// </summary>
static class RateLimiting
{
    public static IServiceCollection AddVaultRateLimits(this IServiceCollection services)
    {
        services.AddSettings<RateLimitOptions>();
        services.AddSingleton<FailedAuthentications>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var o = limits.Value;
            limiter.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, ct);
            if (!o.Enabled) return;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Caller(http) is { } caller
                ? RateLimitPartition.GetTokenBucketLimiter(caller, _ => Bucket(o.KeyPerSecond, o.KeyBurst))
                : RateLimitPartition.GetTokenBucketLimiter("address:" + Address(http), _ => Bucket(o.AddressPerSecond, o.AddressBurst)));
        });
        return services;
    }

    static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
    };

    static string? Caller(HttpContext http) =>
        ManagementKey.Of(http.User) is { } key ? "key:" + key.Id
        : InboundCaller.From(http.User) is { } caller ? "subject:" + caller.Subject
        : null;

    internal static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, CancellationToken ct)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(DescopeError.From(VaultError.RateLimited, "Too many requests: wait for Retry-After seconds, then try again"), ct);
    }
}

/// <summary>Counts failed authentications per address in one-minute windows: repeated guessing from one address is slowed to 429s.</summary>
sealed class FailedAuthentications(IOptions<RateLimitOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailedAuthenticationsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Records one failure; the lease is refused once the address has used up its failures for this minute.</summary>
    public RateLimitLease Record(HttpContext http) =>
        options.Value.Enabled ? limiter.AttemptAcquire(RateLimiting.Address(http)) : AllowedLease.Instance;

    public void Dispose() => limiter.Dispose();

    sealed class AllowedLease : RateLimitLease
    {
        public static readonly AllowedLease Instance = new();
        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
