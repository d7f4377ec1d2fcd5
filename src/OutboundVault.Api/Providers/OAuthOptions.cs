namespace OutboundVault.Providers;

/// <summary>Settings for talking to OAuth providers, bound from the "OAuth" configuration section.</summary>
public sealed class OAuthOptions
{
    public const string SectionName = "OAuth";

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
}
