using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OutboundVault.Tests.Mcp;

/// <summary>
/// A protected resource on 127.0.0.1 that publishes RFC 9728 metadata only at the root well-known path and
/// answers everything else 404 without a challenge; it counts every request it receives.
/// </summary>
public sealed class MetadataServer : IAsyncDisposable
{
    readonly WebApplication app;
    int requests;

    MetadataServer(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public int Requests => Volatile.Read(ref requests);

    /// <summary><paramref name="metadata"/> builds the document from the server's base URL.</summary>
    public static async Task<MetadataServer> StartAsync(Func<string, object> metadata)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = new MetadataServer(builder.Build());
        server.app.Use((context, next) =>
        {
            Interlocked.Increment(ref server.requests);
            return next(context);
        });
        server.app.MapGet("/.well-known/oauth-protected-resource", () => Results.Json(metadata(server.BaseUrl)));
        await server.app.StartAsync();
        server.BaseUrl = server.app.Urls.First().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
