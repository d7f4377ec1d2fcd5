namespace OutboundVault.Tokens;

/// <summary>Token routes of the contract (rows 7–19) and the token management view.</summary>
public static class TokenEndpoints
{
    public static IServiceCollection AddTokenVault(this IServiceCollection services) =>
        services.AddScoped<TokenStore>();

    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder outbound) => outbound;
}
