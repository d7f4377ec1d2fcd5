using OutboundVault.Errors;

namespace OutboundVault.Tokens;

/// <summary>Answers about a token that every path (fetch, refresh, the console's refresh button) words the same way.</summary>
static class TokenErrors
{
    public static VaultException Reconnect(string appId, TokenOwner owner) => new(VaultError.ReconnectRequired,
        $"The token of {owner} for app '{appId}' can no longer be refreshed (the provider refused it): connect again to grant a new one");
}
