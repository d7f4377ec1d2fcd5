using System.Net;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace OutboundVault.Examples.Mcp;

/// <summary>
/// Where the vault sends the browser after consent (<c>/connected?elicitationId=…</c>, plus the vault's
/// <c>outbound_status</c> markers). It checks with the vault that the token now exists, tells the waiting MCP
/// session (<c>notifications/elicitation/complete</c>), and sends the user back to their assistant.
/// </summary>
public static class ConnectedPage
{
    public static void MapConnectedPage(this WebApplication app) => app.MapGet("/connected", ShowAsync);

    static async Task<IResult> ShowAsync(string? elicitationId, PendingElicitations pending, VaultClient vault, CancellationToken ct)
    {
        if (elicitationId is null || pending.Find(elicitationId) is not { } waiting)
            return Page(HttpStatusCode.NotFound, "Unknown or finished connection", "Start again from your assistant.");
        if (await vault.FetchTokenAsync(waiting.Caller, waiting.AppId, ct) is null)
            return Page(HttpStatusCode.BadRequest, "Not connected", "The connection did not complete. Try again from your assistant.");
        pending.Remove(elicitationId);
        await waiting.Session.SendNotificationAsync(NotificationMethods.ElicitationCompleteNotification,
            new ElicitationCompleteNotificationParams { ElicitationId = elicitationId }, cancellationToken: ct);
        return Page(HttpStatusCode.OK, "Connected", "You can go back to your assistant.");
    }

    static IResult Page(HttpStatusCode status, string title, string text) => Results.Content(
        $"<!doctype html><meta charset=utf-8><title>{WebUtility.HtmlEncode(title)}</title><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p>",
        "text/html; charset=utf-8", statusCode: (int)status);
}
