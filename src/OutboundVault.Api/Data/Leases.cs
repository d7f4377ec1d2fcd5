using System.Linq.Expressions;
using System.Security.Cryptography;

namespace OutboundVault.Data;

/// <summary>A row that one instance at a time works on (a token being refreshed, a webhook being delivered).</summary>
interface ILeased
{
    /// <summary>Which refresh or delivery holds the row; set and cleared together with <see cref="LeaseExpiresAt"/>.</summary>
    string? LeaseOwner { get; }

    DateTime? LeaseExpiresAt { get; }
}

/// <summary>The lease rules every leased table shares: who may take a row, and the claim strings that tell holders apart.</summary>
static class Leases
{
    static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>A claim unique to one refresh or delivery, so even two in one process can tell whose lease a row carries.</summary>
    public static string NewClaim() => $"{Instance}/{RandomNumberGenerator.GetHexString(16, lowercase: true)}";

    /// <summary>The lease is free at <paramref name="now"/>: never taken, released, or run out. For queries.</summary>
    public static Expression<Func<T, bool>> FreeAt<T>(DateTime now) where T : ILeased =>
        row => row.LeaseExpiresAt == null || row.LeaseExpiresAt <= now;

    /// <summary>The same rule for a row in hand.</summary>
    public static bool IsFreeAt(this ILeased row, DateTime now) => row.LeaseExpiresAt is not { } until || until <= now;
}
