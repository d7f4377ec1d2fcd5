using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Errors;

namespace OutboundVault.Connect;

/// <summary>
/// Connect:BindToBrowser (README, "Binding a connect to the browser"): an OAuth connect answers the vault's start
/// page instead of the provider's URL. The first browser to open it gets a cookie tied to the state and is sent on
/// to the provider; the callback completes the connect only in a browser holding that cookie, so a flow started in
/// one browser cannot be finished in another one (a grant planted in someone else's name).
/// </summary>
sealed class BrowserBinding(VaultDbContext db, Apps.OutboundApps apps, PendingConnections pending, ConnectStarter starter, ILogger<BrowserBinding> logger)
{
    public const string StartPath = "/v1/outbound/oauth/start";
    /// <summary>A bound connect whose start page has not been opened yet.</summary>
    public const string Unopened = "";

    /// <summary>The start page: binds the state to this browser once, then redirects to the provider.</summary>
    public async Task<IResult> StartAsync(string? state, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state)) return Fail("The link has no state; start the connection again");
        var stateHash = ConnectSecrets.HashState(state);
        var (found, connection) = await pending.PeekAsync(stateHash, ct);
        if (found != PendingState.Open || connection!.BrowserBinding != Unopened)
            return Fail("This connect link is unknown, expired or was already opened; start the connection again");
        var app = await apps.FindAsync(connection.AppId, ct);
        if (app is null) return Fail("The app of this connection was deleted");

        var cookie = ConnectSecrets.NewState();
        var bound = await db.PendingConnections.Where(p => p.StateHash == stateHash && p.BrowserBinding == Unopened)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BrowserBinding, ConnectSecrets.HashState(cookie)), ct);
        if (bound == 0) return Fail("This connect link was already opened; start the connection again");
        string providerUrl;
        try
        {
            providerUrl = await starter.AuthorizationUrlAsync(app, connection, state, ct);
        }
        catch (VaultException ex)
        {
            return Fail(ex.Message);
        }
        http.Response.Cookies.Append(CookieName(http.Request, stateHash), cookie, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            // Lax: the provider's redirect back to the callback is a top-level navigation, which carries it.
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = ConnectOptions.PendingLifetime,
        });
        HostedPage.SetPrivacyHeaders(http.Response);
        return Results.Redirect(providerUrl);
    }

    /// <summary>Whether the callback's browser may complete this connect: unbound ones always, bound ones with the cookie.</summary>
    public static bool Admits(PendingConnection connection, HttpRequest request)
    {
        if (connection.BrowserBinding is null) return true;
        if (connection.BrowserBinding == Unopened || request.Cookies[CookieName(request, connection.StateHash)] is not { Length: > 0 } cookie) return false;
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(ConnectSecrets.HashState(cookie)), Encoding.ASCII.GetBytes(connection.BrowserBinding));
    }

    /// <summary>One cookie per connect, so two connects in one browser do not overwrite each other; <c>__Host-</c> over https.</summary>
    static string CookieName(HttpRequest request, string stateHash) => (request.IsHttps ? "__Host-" : "") + "ov-connect-" + stateHash[..16];

    ConnectResultPage Fail(string description)
    {
        logger.LogWarning("Connect start page refused: {ConnectError}", ConnectErrors.InvalidState);
        return new ConnectResultPage(new ConnectOutcome(null, null, ConnectErrors.InvalidState, description));
    }
}
