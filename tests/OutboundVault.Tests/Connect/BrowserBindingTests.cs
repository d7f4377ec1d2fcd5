using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using OutboundVault.FakeProvider;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Connect;

/// <summary>
/// Connect:BindToBrowser: the connect link is the vault's start page, which binds the flow to the first browser
/// that opens it, and only that browser's callback stores the grant.
/// </summary>
public abstract class BrowserBindingTests(BoundConnectFixture fixture)
{
    const string StartUrl = ConnectFixture.PublicBaseUrl + "/v1/outbound/oauth/start";
    readonly ConnectDriver driver = new(fixture.Vault);

    HttpClient NewBrowser() => fixture.Vault.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Opens the start link in <paramref name="browser"/> and returns where it sends the browser.</summary>
    static async Task<HttpResponseMessage> OpenAsync(HttpClient browser, Uri startLink) => await browser.GetAsync(startLink.PathAndQuery);

    [SkippableFact]
    public async Task A_connect_answers_the_vaults_start_page_instead_of_the_provider()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);

        var link = await driver.ConnectAsync(new { appId, userId = "u-link" });

        link.GetLeftPart(UriPartial.Path).Should().Be(StartUrl);
    }

    [SkippableFact]
    public async Task The_browser_that_opened_the_link_completes_the_connect()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var link = await driver.ConnectAsync(new { appId, userId = "u-same" });
        var browser = NewBrowser();
        var toProvider = await OpenAsync(browser, link);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(toProvider.Headers.Location!);

        var callback = await browser.GetAsync(providerRedirect.PathAndQuery);

        ConnectDriver.Markers(callback)["outbound_status"].Should().Be("success");
    }

    [SkippableFact]
    public async Task A_flow_opened_in_one_browser_and_completed_in_another_stores_nothing()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var link = await driver.ConnectAsync(new { appId, userId = "attacker" });
        var toProvider = await OpenAsync(NewBrowser(), link);
        var providerRedirect = await ConnectDriver.AuthorizeAsync(toProvider.Headers.Location!);

        var callback = await NewBrowser().GetAsync(providerRedirect.PathAndQuery);

        (ConnectDriver.Markers(callback)["outbound_error"], (await driver.TokensAsync(appId)).Count).Should().Be(("invalid_state", 0));
    }

    [SkippableFact]
    public async Task The_start_link_opens_once()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        var appId = await driver.CreateAppAsync(fake);
        var link = await driver.ConnectAsync(new { appId, userId = "u-twice" });
        (await OpenAsync(NewBrowser(), link)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var second = await OpenAsync(NewBrowser(), link);

        (await ApiKeyPageDriver.HtmlAsync(second, HttpStatusCode.BadRequest)).Should().Contain("already opened");
    }
}

public sealed class BrowserBindingTests_Sqlite(SqliteBoundConnectVault fixture) : BrowserBindingTests(fixture), IClassFixture<SqliteBoundConnectVault>;

public sealed class BrowserBindingTests_Postgres(PostgresBoundConnectVault fixture) : BrowserBindingTests(fixture), IClassFixture<PostgresBoundConnectVault>;
