namespace OutboundVault.Connect;

public static class ConnectServiceCollectionExtensions
{
    public static IServiceCollection AddConnectFlow(this IServiceCollection services) =>
        services.AddSingleton<CallbackUris>();
}
