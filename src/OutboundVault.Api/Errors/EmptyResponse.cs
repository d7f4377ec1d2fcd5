namespace OutboundVault.Errors;

/// <summary>The <c>{}</c> success body: node's SDK parses every response as JSON, so "no content" is not an option.</summary>
sealed record EmptyResponse
{
    public static readonly EmptyResponse Instance = new();
}
