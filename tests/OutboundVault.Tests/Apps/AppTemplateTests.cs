using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Apps;

/// <summary>create/bytemplate (node's createApplicationByTemplate) and the template list.</summary>
public abstract class AppTemplateTests(VaultFixture fixture)
{
    readonly HttpClient client = fixture.Management;

    [SkippableFact]
    public async Task Node_create_by_template_fills_the_provider_settings_and_keeps_the_secret_sealed()
    {
        var response = await client.PostJson("/v1/mgmt/outbound/app/create/bytemplate",
            """{"templateId":"google","clientId":"c","clientSecret":"template-secret-1","overrides":{"name":"x"}}""");
        var text = await response.Content.ReadAsStringAsync();
        var app = (await response.ShouldBeOk())["app"]!;

        app["name"]!.GetValue<string>().Should().Be("x", "overrides take precedence over the template");
        app["templateId"]!.GetValue<string>().Should().Be("google");
        app["clientId"]!.GetValue<string>().Should().Be("c");
        app["tokenUrl"]!.GetValue<string>().Should().Be("https://oauth2.googleapis.com/token");
        app["pkce"]!.GetValue<bool>().Should().BeTrue();
        app["accessType"]!.GetValue<string>().Should().Be("offline");
        app["hasClientSecret"]!.GetValue<bool>().Should().BeTrue();
        text.Should().NotContain("template-secret-1");
    }

    [SkippableFact]
    public async Task Overrides_replace_scopes_and_params_and_an_explicit_id_is_used()
    {
        var id = "tpl-" + Guid.NewGuid().ToString("N")[..8];
        var app = (await (await client.PostJson("/v1/mgmt/outbound/app/create/bytemplate",
            $$$"""{"templateId":"atlassian","id":"{{{id}}}","tenantId":"t1","overrides":{"defaultScopes":["read:confluence-content.all"],"prompt":[],"description":"Docs"}}"""))
            .ShouldBeOk())["app"]!;
        app["id"]!.GetValue<string>().Should().Be(id);
        app["tenantId"]!.GetValue<string>().Should().Be("t1");
        app["defaultScopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("read:confluence-content.all");
        app["prompt"]!.AsArray().Should().BeEmpty();
        app["description"]!.GetValue<string>().Should().Be("Docs");
        app["authorizationUrlParams"]![0]!["key"]!.GetValue<string>().Should().Be("audience", "params not overridden come from the template");
    }

    [SkippableFact]
    public async Task Api_key_templates_create_api_key_apps()
    {
        var app = (await (await client.PostJson("/v1/mgmt/outbound/app/create/bytemplate", """{"templateId":"openai"}""")).ShouldBeOk())["app"]!;
        app["appType"]!.GetValue<string>().Should().Be("apikey");
        app["name"]!.GetValue<string>().Should().Be("OpenAI");
    }

    [SkippableTheory]
    [InlineData("""{"clientId":"c"}""", "E011002", "templateId is required")]
    [InlineData("""{"templateId":"myspace"}""", "E011003", "templateId must be one of")]
    [InlineData("""{"templateId":"google","id":"bad id"}""", "E011003", "id must be")]
    [InlineData("""{"templateId":"google","overrides":{"tokenUrl":"nope"}}""", "E011003", "overrides: tokenUrl must be")]
    public async Task Bad_template_requests_are_rejected_and_write_nothing(string json, string code, string message)
    {
        var before = (await (await client.GetAsync("/v1/mgmt/outbound/apps")).ShouldBeOk())["apps"]!.AsArray().Count;
        var body = await (await client.PostJson("/v1/mgmt/outbound/app/create/bytemplate", json)).ShouldBeError(400, code);
        body["errorMessage"]!.GetValue<string>().Should().Contain(message);
        (await (await client.GetAsync("/v1/mgmt/outbound/apps")).ShouldBeOk())["apps"]!.AsArray().Count.Should().Be(before);
    }

    [SkippableFact]
    public async Task The_template_list_names_every_template()
    {
        var templates = (await (await client.GetAsync("/v1/mgmt/outbound/templates")).ShouldBeOk())["templates"]!.AsArray();
        templates.Select(t => t!["id"]!.GetValue<string>()).Should().Contain(["google", "github", "slack", "microsoft", "openai"]);
    }
}

public sealed class AppTemplateTests_Sqlite(SqliteVault fixture) : AppTemplateTests(fixture), IClassFixture<SqliteVault>;

public sealed class AppTemplateTests_Postgres(PostgresVault fixture) : AppTemplateTests(fixture), IClassFixture<PostgresVault>;
