namespace OutboundVault.Security;

/// <summary>
/// Thrown by the guarded handler before a socket opens. HttpClient wraps it in an
/// HttpRequestException; the provider client turns it into a ProviderException of kind Blocked.
/// </summary>
sealed class PrivateNetworkBlockedException : Exception
{
    public PrivateNetworkBlockedException()
    {
    }

    public PrivateNetworkBlockedException(string host)
        : base($"Provider address {host} resolves to a private or loopback network address; " +
               "set OAuth:AllowPrivateNetworkTargets=true to allow it")
    {
        Host = host;
    }

    public PrivateNetworkBlockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Host { get; }
}
