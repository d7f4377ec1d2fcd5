using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Webhooks;

/// <summary>A webhook endpoint on 127.0.0.1 (a real Kestrel server) that keeps what it was sent and fails the first calls on request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    int failuresLeft;

    public sealed record Delivery(string Id, string Timestamp, string Signature, string Body);

    WebhookReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<Delivery> Received { get; } = new();
    int calls;

    /// <summary>Every POST, failed ones included.</summary>
    public int Calls => Volatile.Read(ref calls);

    public string Url { get; private set; } = "";


    public static async Task<WebhookReceiver> StartAsync(int? port = null, int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port ?? 0}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { failuresLeft = failFirst };
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref receiver.calls);
            if (Interlocked.Decrement(ref receiver.failuresLeft) >= 0) return Results.StatusCode(500);
            using var reader = new StreamReader(request.Body);
            receiver.Received.Enqueue(new Delivery(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single() + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
