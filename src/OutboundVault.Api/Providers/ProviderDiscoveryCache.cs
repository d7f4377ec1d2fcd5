using System.Collections.Concurrent;

namespace OutboundVault.Providers;

/// <summary>
/// Discovered endpoints per discovery URL, kept for OAuth:DiscoveryCacheLifetime. Only successes are
/// stored, so a provider that was down is asked again on the next call. A singleton: the typed
/// ProviderClient itself is transient.
/// </summary>
sealed class ProviderDiscoveryCache(TimeProvider timeProvider)
{
    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public bool TryGet(string discoveryUrl, out ProviderEndpoints endpoints)
    {
        if (entries.TryGetValue(discoveryUrl, out var entry) && timeProvider.GetUtcNow() < entry.ExpiresAt)
        {
            endpoints = entry.Endpoints;
            return true;
        }

        endpoints = null!;
        return false;
    }

    public void Set(string discoveryUrl, ProviderEndpoints endpoints, TimeSpan lifetime)
    {
        if (lifetime > TimeSpan.Zero)
        {
            entries[discoveryUrl] = new Entry(endpoints, timeProvider.GetUtcNow() + lifetime);
        }
    }

    /// <summary>Forgets one discovery URL, e.g. after an app's provider moved.</summary>
    public void Invalidate(string discoveryUrl) => entries.TryRemove(discoveryUrl, out _);

    sealed record Entry(ProviderEndpoints Endpoints, DateTimeOffset ExpiresAt);
}
