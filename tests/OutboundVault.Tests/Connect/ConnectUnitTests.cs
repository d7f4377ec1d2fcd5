using System.Security.Claims;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Connect;
using OutboundVault.Errors;
using OutboundVault.Security;

namespace OutboundVault.Tests.Connect;

/// <summary>The connect flow's pure parts: URLs, owners, markers, the result page and the random values.</summary>
public class ConnectUnitTests
{
    static OutboundApp App(Action<OutboundApp>? customize = null)
    {
        var app = new OutboundApp { Id = "a1", Name = "A", ClientId = "cid", DefaultRedirectUrl = "https://app.example.test/done" };
        customize?.Invoke(app);
        return app;
    }

    [SkippableFact]
    public void The_authorization_url_keeps_the_endpoints_own_query_and_leaves_out_what_the_app_does_not_set()
    {
        var url = AuthorizationUrl.Build("https://idp.example.test/authorize?tenant=x", App(), "https://v.test/cb", [], "st", null);

        url.Should().Be("https://idp.example.test/authorize?tenant=x&response_type=code&client_id=cid&redirect_uri=https%3A%2F%2Fv.test%2Fcb&state=st");
    }

    [SkippableFact]
    public void App_authorization_params_never_replace_protocol_parameters()
    {
        var app = App(a => a.AuthorizationUrlParams = [new("redirect_uri", "https://evil.example"), new("client_id", "other"), new("audience", "api")]);

        var query = ConnectDriver.Query(new Uri(AuthorizationUrl.Build("https://idp.test/a", app, "https://v.test/cb", ["s"], "st", "ch")));

        query["redirect_uri"].Should().Be("https://v.test/cb");
        query["client_id"].Should().Be("cid");
        query["audience"].Should().Be("api");
        query["code_challenge"].Should().Be("ch");
    }

    [SkippableTheory]
    [InlineData("sub-1", null, null, false, "sub-1", "", "sub-1")]
    [InlineData("sub-1", "sub-1", "t1", false, "sub-1", "t1", "sub-1")]
    [InlineData(null, "u1", null, false, "u1", "", "u1")]
    [InlineData(null, "u1", "t1", false, "u1", "t1", "u1")]
    [InlineData(null, null, "t1", false, "", "t1", "management")]
    [InlineData(null, "admin", "t1", true, "", "t1", "admin")]
    [InlineData(null, " ", "t1", null, "", "t1", "management")]
    public void The_owner_follows_the_caller_and_the_body(string? sub, string? userId, string? tenantId, bool? tenantLevel, string owner, string tenant, string grantedBy)
    {
        var resolved = ConnectOwner.Resolve(Caller(sub), new ConnectRequest { UserId = userId, TenantId = tenantId, TenantLevel = tenantLevel });

        (resolved.Owner.UserId, resolved.Owner.TenantId, resolved.GrantedBy).Should().Be((owner, tenant, grantedBy));
    }

    [SkippableTheory]
    [InlineData("sub-1", "other", null, null, "E081403")]
    [InlineData("sub-1", null, "t1", true, "E081403")]
    [InlineData(null, null, null, null, "E011002")]
    [InlineData(null, "u1", null, true, "E011002")]
    public void Owners_a_caller_may_not_name_are_refused(string? sub, string? userId, string? tenantId, bool? tenantLevel, string code)
    {
        var resolve = () => ConnectOwner.Resolve(Caller(sub), new ConnectRequest { UserId = userId, TenantId = tenantId, TenantLevel = tenantLevel });

        resolve.Should().Throw<VaultException>().Which.Error.Code.Should().Be(code);
    }

    [SkippableFact]
    public void Markers_are_added_to_the_redirect_urls_own_query_before_its_fragment()
    {
        var url = ConnectMarkers.AddTo("https://app.test/done?x=1#tab", new ConnectOutcome("a1", "ignored", "access_denied", "No & <thanks>"));

        url.Should().Be("https://app.test/done?x=1&outbound_status=error&outbound_app_id=a1&outbound_error=access_denied" +
            "&outbound_error_description=No%20%26%20%3Cthanks%3E#tab");
    }

    [SkippableFact]
    public void The_result_page_encodes_everything_it_shows()
    {
        var html = ConnectResultPage.Render(new ConnectOutcome("<app>", null, "x\"y", "<img src=x onerror=alert(1)>"));

        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.Contain("&lt;app&gt;").And.Contain("x&quot;y")
            .And.NotContain("<img").And.NotContain("<app>");
    }

    [SkippableFact]
    public void States_and_verifiers_are_256_random_bits_and_the_state_hash_fits_its_column()
    {
        var states = Enumerable.Range(0, 100).Select(_ => ConnectSecrets.NewState()).ToHashSet();

        states.Should().HaveCount(100).And.OnlyContain(s => s.Length == 43);
        ConnectSecrets.NewCodeVerifier().Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        ConnectSecrets.HashState("s").Should().HaveLength(64).And.MatchRegex("^[0-9a-f]{64}$");
        // RFC 7636 appendix B.
        ConnectSecrets.S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").Should().Be("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    [SkippableTheory]
    [InlineData("https://app.example.test/x", true)]
    [InlineData("https://APP.EXAMPLE.TEST/x", true)]
    [InlineData("http://app.example.test/x", false)]          // an https default never allows http
    [InlineData("https://app.example.test:8443/x", false)]    // nor another port
    [InlineData("https://extra.example.test/", true)]
    [InlineData("https://extra.example.test:9443/", true)]    // a bare host: any port over https
    [InlineData("http://extra.example.test/", false)]         // but not http
    [InlineData("http://127.0.0.1:8090/connected", true)]     // a bare loopback host: http too
    [InlineData("http://intranet.example.test:8080/", true)]  // a full origin, exactly
    [InlineData("https://intranet.example.test:8080/", false)]
    [InlineData("http://intranet.example.test:8081/", false)]
    [InlineData("https://sub.app.example.test/", false)]
    [InlineData("https://app.example.test.evil.example/", false)]
    [InlineData("https://app.example.test@evil.example/", false)]
    public void Redirect_urls_must_have_an_allowed_origin(string requested, bool allowed)
    {
        var policy = new RedirectUrlPolicy(Options.Create(new ConnectOptions { AllowedRedirectHosts = ["extra.example.test", "127.0.0.1", "http://intranet.example.test:8080"] }));

        var choose = () => policy.Choose(App(), requested);

        if (allowed) choose.Should().NotThrow();
        else choose.Should().Throw<VaultException>().Which.Error.Should().Be(VaultError.InvalidRequest);
    }

    static ClaimsPrincipal Caller(string? sub) => new(sub is null
        ? new ClaimsIdentity([new Claim(ManagementKeyAuthenticationHandler.ManagementClaim, "true")], ManagementKeyAuthenticationHandler.SchemeName)
        : new ClaimsIdentity([new Claim("sub", sub)], InboundTokenAuthentication.SchemeName));
}
