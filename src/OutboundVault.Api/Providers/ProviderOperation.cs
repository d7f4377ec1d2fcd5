namespace OutboundVault.Providers;

/// <summary>The provider calls the vault makes; named in every failure message and log line.</summary>
enum ProviderOperation
{
    CodeExchange,
    Refresh,
    Revocation,
    Discovery,
    Registration,
    ResourceDiscovery,
}

static class ProviderOperationNames
{
    public static string Describe(this ProviderOperation operation) => operation switch
    {
        ProviderOperation.CodeExchange => "Code exchange",
        ProviderOperation.Refresh => "Token refresh",
        ProviderOperation.Revocation => "Token revocation",
        ProviderOperation.Discovery => "Discovery",
        ProviderOperation.Registration => "Client registration",
        ProviderOperation.ResourceDiscovery => "Protected resource discovery",
        _ => operation.ToString(),
    };
}
