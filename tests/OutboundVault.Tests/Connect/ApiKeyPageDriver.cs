using System.Net;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Drives the hosted API-key page as a browser would: the connect's URL (which names the public base URL)
/// is replayed on the in-memory vault, the form is posted as application/x-www-form-urlencoded, and every
/// response the browser saw is kept so a test can check that the key never came back.
/// </summary>
sealed class ApiKeyPageDriver(ConnectDriver connect)
{
    public const string PagePath = "/v1/outbound/apikey";
    public const string PageUrl = ConnectFixture.PublicBaseUrl + PagePath;

    readonly List<string> seen = [];

    public ConnectDriver Connect => connect;
    /// <summary>Every status line, header and body the browser and the backend got back.</summary>
    public string Seen => string.Join('\n', seen);

    /// <summary>An API-key app (no authorization, token or discovery URL), with a default redirect URL unless customized away.</summary>
    public Task<string> CreateAppAsync(Action<JsonObject>? customize = null)
    {
        var app = TestApps.ApiKey(TestApps.NewId("key"));
        app.Remove("appType");
        app["name"] = "Weather " + app["id"];
        app["description"] = "Forecasts by the hour";
        app["defaultRedirectUrl"] = TestApps.RedirectUrl;
        return connect.Management.CreateAsync(app, customize);
    }

    /// <summary>Starts a connect and returns its state, after checking the URL is the hosted page.</summary>
    public async Task<string> StartAsync(object body, string path = ConnectDriver.UserConnect)
    {
        var answer = await (await Keep(connect.PostConnectAsync(body, path: path))).ShouldBeOk();
        var url = new Uri(answer["url"]!.GetValue<string>());
        url.GetLeftPart(UriPartial.Path).Should().Be(PageUrl);
        return ConnectDriver.Query(url)["state"];
    }

    public Task<HttpResponseMessage> ShowAsync(string state) =>
        Keep(connect.VaultBrowser.GetAsync($"{PagePath}?state={Uri.EscapeDataString(state)}"));

    public Task<HttpResponseMessage> SubmitAsync(string? state, string? apiKey)
    {
        var fields = new Dictionary<string, string>();
        if (state is not null) fields["state"] = state;
        if (apiKey is not null) fields["apiKey"] = apiKey;
        return Keep(connect.VaultBrowser.PostAsync(PagePath, new FormUrlEncodedContent(fields)));
    }

    public static async Task<string> HtmlAsync(HttpResponseMessage page, HttpStatusCode status)
    {
        page.StatusCode.Should().Be(status);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// The markers of a submission that redirected to the connect's redirect URL: a 303, so the browser follows
    /// it with GET, and without a Referer.
    /// </summary>
    public static Dictionary<string, string> Markers(HttpResponseMessage submitted)
    {
        submitted.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        submitted.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(ConnectDriver.RedirectUrl);
        submitted.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
        return ConnectDriver.Query(submitted.Headers.Location);
    }

    /// <summary>The stored key of an owner, through the management fetch route (the one response meant to return it).</summary>
    public async Task<JsonNode> FetchAsync(string appId, string? userId, string? tenantId = null)
    {
        var response = userId is null
            ? await connect.Management.PostJson("/v1/mgmt/outbound/app/tenant/token/latest", new { appId, tenantId })
            : await connect.Management.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId, userId, tenantId });
        return (await response.ShouldBeOk())["token"]!;
    }

    public async Task<HttpResponseMessage> Keep(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        seen.Add($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers} {body}");
        return response;
    }
}
