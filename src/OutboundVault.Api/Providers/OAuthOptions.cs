namespace OutboundVault.Providers;

/// <summary>Settings for talking to OAuth providers, bound from the "OAuth" configuration section.</summary>
sealed class OAuthOptions : Hosting.ISettings
{
    public static string SectionName => "OAuth";

    /// <summary>External base URL of the vault, used to build the connect callback redirect URI.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Off by default so an app definition cannot point the vault at loopback, private or link-local
    /// addresses (cloud metadata, internal services). Turn on only for providers inside your network.
    /// </summary>
    public bool AllowPrivateNetworkTargets { get; set; }

    /// <summary>Upper bound for one provider HTTP call, connect and body included.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a fetched discovery document is reused. Zero disables caching.</summary>
    public TimeSpan DiscoveryCacheLifetime { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Problems()
    {
        if (ProviderTimeout <= TimeSpan.Zero) yield return "OAuth:ProviderTimeout must be positive.";
        if (DiscoveryCacheLifetime < TimeSpan.Zero) yield return "OAuth:DiscoveryCacheLifetime must not be negative.";
        if (PublicBaseUrl is not null && !Security.PrivateNetworkGuard.TryParseHttpUrl(PublicBaseUrl, out _))
            yield return "OAuth:PublicBaseUrl must be an absolute http(s) URL.";
    }
}
