using ModelContextProtocol.AspNetCore;

namespace OutboundVault.Examples.Mcp;

public static class ExampleToolsServiceCollectionExtensions
{
    public static IServiceCollection AddExampleTools(this IServiceCollection services)
    {
        services.AddSingleton<PendingElicitations>();
        services.AddMcpServer()
            // Stateful: URL elicitation needs the client's capabilities and a session to notify.
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools<VaultTools>();
        return services;
    }
}
