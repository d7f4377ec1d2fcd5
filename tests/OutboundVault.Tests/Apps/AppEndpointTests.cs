using System.Net;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Apps;

/// <summary>Outbound app CRUD over HTTP, in each SDK's dialect, on both databases.</summary>
public abstract class AppEndpointTests(VaultFixture fixture)
{
    readonly HttpClient client = fixture.Management;

    async Task<JsonNode> Create(string json) => (await (await client.PostJson("/v1/mgmt/outbound/app/create", json)).ShouldBeOk())["app"]!;

    [SkippableFact]
    public async Task Node_create_with_omitted_keys_generates_an_id_and_never_returns_the_secret()
    {
        var response = await client.PostJson("/v1/mgmt/outbound/app/create",
            """{"name":"GitHub","description":"d","clientSecret":"node-secret-1","clientId":"c","defaultScopes":["repo"],"authorizationUrl":"https://github.com/login/oauth/authorize","tokenUrl":"https://github.com/login/oauth/access_token","pkce":true}""");
        var text = await response.Content.ReadAsStringAsync();
        var app = (await response.ShouldBeOk())["app"]!;

        app["id"]!.GetValue<string>().Should().MatchRegex("^[A-Za-z0-9._-]{1,100}$");
        app["name"]!.GetValue<string>().Should().Be("GitHub");
        app["clientId"]!.GetValue<string>().Should().Be("c");
        app["defaultScopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("repo");
        app["pkce"]!.GetValue<bool>().Should().BeTrue();
        app["appType"]!.GetValue<string>().Should().Be("oauth");
        app["hasClientSecret"]!.GetValue<bool>().Should().BeTrue();
        app["callbackUrl"]!.GetValue<string>().Should().EndWith("/v1/outbound/oauth/callback");
        app.AsObject().ContainsKey("clientSecret").Should().BeFalse();
        text.Should().NotContain("node-secret-1");
    }

    [SkippableFact]
    public async Task The_client_secret_never_reaches_responses_or_logs_and_is_sealed_at_rest()
    {
        var id = TestApps.NewId();
        const string secret = "client-secret-canary-7f3a9";
        var responses = new List<string>
        {
            await (await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"id":"{{id}}","name":"Canary","clientSecret":"{{secret}}","tokenUrl":"https://p.example.com/t"}""")).Content.ReadAsStringAsync(),
            await (await client.PostJson("/v1/mgmt/outbound/app/update", $$$"""{"app":{"id":"{{{id}}}","name":"Canary","clientSecret":"{{{secret}}}2"}}""")).Content.ReadAsStringAsync(),
            await (await client.GetAsync($"/v1/mgmt/outbound/app/{id}")).Content.ReadAsStringAsync(),
            await (await client.GetAsync("/v1/mgmt/outbound/apps")).Content.ReadAsStringAsync(),
            await (await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"id":"{{id}}","name":"Dup","clientSecret":"{{secret}}"}""")).Content.ReadAsStringAsync(),
        };
        responses.Should().OnlyContain(r => !r.Contains(secret, StringComparison.Ordinal));
        fixture.Vault.Logs.All.Should().NotContain(secret);
        (await RawDatabaseText.ReadAsync(fixture)).Should().NotContain(secret).And.Contain(id, "the scan reads the stored rows");
    }

    [SkippableFact]
    public async Task Go_create_with_every_key_empty_is_accepted_as_an_api_key_app()
    {
        var app = await Create("""
            {"id":"","name":"Weather","description":"","templateId":"","clientId":"","logo":"","discoveryUrl":"",
             "authorizationUrl":"","authorizationUrlParams":null,"tokenUrl":"","tokenUrlParams":null,"revocationUrl":"",
             "defaultScopes":null,"defaultRedirectUrl":"","callbackDomain":"","pkce":false,"accessType":"","prompt":null,"clientSecret":""}
            """);
        app["id"]!.GetValue<string>().Should().NotBeEmpty();
        app["appType"]!.GetValue<string>().Should().Be("apikey");
        app["hasClientSecret"]!.GetValue<bool>().Should().BeFalse();
        app["defaultScopes"]!.AsArray().Should().BeEmpty();
        app.AsObject().ContainsKey("description").Should().BeFalse("empty strings are not stored");
    }

    [SkippableFact]
    public async Task Python_create_with_nulls_and_name_value_params_stores_params_by_key()
    {
        var id = TestApps.NewId();
        var app = await Create($$"""
            {"name":"Google","id":"{{id}}","description":null,"logo":null,"clientId":"cid","authorizationUrl":"https://accounts.google.com/o/oauth2/v2/auth",
             "tokenUrl":"https://oauth2.googleapis.com/token","authorizationUrlParams":[{"name":"hd","value":"example.com"}],
             "tokenUrlParams":[{"key":"audience","value":"api"}],"defaultScopes":["openid"],"pkce":true,"prompt":["consent","select_account"],"accessType":"offline"}
            """);
        app["id"]!.GetValue<string>().Should().Be(id);
        app["authorizationUrlParams"]![0]!["key"]!.GetValue<string>().Should().Be("hd");
        app["authorizationUrlParams"]![0]!["value"]!.GetValue<string>().Should().Be("example.com");
        app["tokenUrlParams"]![0]!["key"]!.GetValue<string>().Should().Be("audience");
        app["prompt"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("consent", "select_account");
        app["accessType"]!.GetValue<string>().Should().Be("offline");
    }

    [SkippableFact]
    public async Task Unknown_fields_are_ignored()
    {
        var app = await Create("""{"name":"Extra","somethingNew":{"nested":true},"provider":"x"}""");
        app["name"]!.GetValue<string>().Should().Be("Extra");
    }

    [SkippableFact]
    public async Task A_second_create_with_the_same_id_is_rejected_and_the_first_is_kept()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"First"}""");
        var second = await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"id":"{{id}}","name":"Second"}""");
        await second.ShouldBeError(409, "E081409");
        var loaded = await (await client.GetAsync($"/v1/mgmt/outbound/app/{id}")).ShouldBeOk();
        loaded["app"]!["name"]!.GetValue<string>().Should().Be("First");
    }

    [SkippableFact]
    public async Task Update_replaces_every_field_but_keeps_the_secret_and_kind_when_absent()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"Before","description":"old","clientSecret":"s1","tokenUrl":"https://p.example.com/token","defaultScopes":["a"]}""");
        var updated = (await (await client.PostJson("/v1/mgmt/outbound/app/update", $$$"""{"app":{"id":"{{{id}}}","name":"After"}}""")).ShouldBeOk())["app"]!;

        updated["name"]!.GetValue<string>().Should().Be("After");
        updated.AsObject().ContainsKey("description").Should().BeFalse("update overrides all fields");
        updated.AsObject().ContainsKey("tokenUrl").Should().BeFalse();
        updated["defaultScopes"]!.AsArray().Should().BeEmpty();
        updated["hasClientSecret"]!.GetValue<bool>().Should().BeTrue("an absent clientSecret keeps the stored one");
        updated["appType"]!.GetValue<string>().Should().Be("oauth", "the kind is decided at create");

        var cleared = (await (await client.PostJson("/v1/mgmt/outbound/app/update", $$$"""{"app":{"id":"{{{id}}}","name":"After","clientSecret":"","appType":"apikey"}}""")).ShouldBeOk())["app"]!;
        cleared["hasClientSecret"]!.GetValue<bool>().Should().BeFalse();
        cleared["appType"]!.GetValue<string>().Should().Be("apikey");
    }

    [SkippableFact]
    public async Task Python_update_with_nulls_keeps_the_secret()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"P","clientSecret":"keep-me"}""");
        var updated = (await (await client.PostJson("/v1/mgmt/outbound/app/update",
            $$$"""{"app":{"name":"P2","id":"{{{id}}}","description":null,"logo":null,"clientSecret":null}}""")).ShouldBeOk())["app"]!;
        updated["name"]!.GetValue<string>().Should().Be("P2");
        updated["hasClientSecret"]!.GetValue<bool>().Should().BeTrue();
    }

    [SkippableFact]
    public async Task Dotnet_load_change_update_sends_back_the_vaults_extra_fields_harmlessly()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"Kiota","clientId":"c","clientSecret":"s","tokenUrl":"https://p.example.com/token","defaultScopes":["a"]}""");
        var loaded = (await (await client.GetAsync($"/v1/mgmt/outbound/app/{Uri.EscapeDataString(id)}")).ShouldBeOk())["app"]!.AsObject();
        loaded["name"] = "Kiota 2";

        await (await client.PostJson("/v1/mgmt/outbound/app/update", new JsonObject { ["app"] = loaded.DeepClone() }.ToJsonString())).ShouldBeOk();

        var reloaded = (await (await client.GetAsync($"/v1/mgmt/outbound/app/{id}")).ShouldBeOk())["app"]!.AsObject();
        loaded.Remove("updatedTime");
        reloaded.Remove("updatedTime");
        reloaded.ToJsonString().Should().Be(loaded.ToJsonString(), "hasClientSecret, callbackUrl, createdTime and tokenEndpointAuthMethod sent back change nothing");
    }

    [SkippableFact]
    public async Task Unknown_ids_answer_404_on_load_update_and_delete()
    {
        await (await client.GetAsync("/v1/mgmt/outbound/app/no-such-app")).ShouldBeError(404, "E081404");
        await (await client.PostJson("/v1/mgmt/outbound/app/update", """{"app":{"id":"no-such-app","name":"x"}}""")).ShouldBeError(404, "E081404");
        await (await client.PostJson("/v1/mgmt/outbound/app/delete", """{"id":"no-such-app"}""")).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task Delete_removes_the_app_and_answers_an_empty_object()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"Doomed"}""");
        var deleted = await (await client.PostJson("/v1/mgmt/outbound/app/delete", $$"""{"id":"{{id}}"}""")).ShouldBeOk();
        deleted.ToJsonString().Should().Be("{}");
        await (await client.GetAsync($"/v1/mgmt/outbound/app/{id}")).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task Load_all_lists_created_apps()
    {
        var id = TestApps.NewId();
        await Create($$"""{"id":"{{id}}","name":"Listed"}""");
        var all = await (await client.GetAsync("/v1/mgmt/outbound/apps")).ShouldBeOk();
        all["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Should().Contain(id);
    }

    [SkippableTheory]
    [InlineData("""{"description":"no name"}""", "E011002", "name is required")]
    [InlineData("""{"name":""}""", "E011002", "name is required")]
    [InlineData("""{"name":"x","id":"has space"}""", "E011003", "id must be")]
    [InlineData("""{"name":"x","id":"slash/id"}""", "E011003", "id must be")]
    [InlineData("""{"name":"x","tokenUrl":"not a url"}""", "E011003", "tokenUrl must be an absolute http(s) URL")]
    [InlineData("""{"name":"x","authorizationUrl":"ftp://example.com/a"}""", "E011003", "authorizationUrl must be")]
    [InlineData("""{"name":"x","accessType":"forever"}""", "E011003", "accessType must be one of")]
    [InlineData("""{"name":"x","prompt":["consent","sometimes"]}""", "E011003", "prompt values must be one of")]
    [InlineData("""{"name":"x","appType":"saml"}""", "E011003", "appType must be one of")]
    [InlineData("""{"name":"x","callbackDomain":"https://bad/"}""", "E011003", "callbackDomain")]
    [InlineData("""{"name":"x","authorizationUrlParams":[{"value":"no key"}]}""", "E011003", "authorizationUrlParams")]
    public async Task Invalid_apps_are_rejected_with_a_clear_error(string json, string code, string message)
    {
        var body = await (await client.PostJson("/v1/mgmt/outbound/app/create", json)).ShouldBeError(400, code);
        body["errorMessage"]!.GetValue<string>().Should().Contain(message);
    }

    [SkippableFact]
    public async Task Oversized_fields_are_rejected()
    {
        var name = new string('n', 201);
        await (await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"name":"{{name}}"}""")).ShouldBeError(400, "E011003");
        var scopes = string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"s{i}\""));
        await (await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"name":"x","defaultScopes":[{{scopes}}]}""")).ShouldBeError(400, "E011003");
    }

    [SkippableFact]
    public async Task Update_without_an_app_or_id_is_a_missing_argument()
    {
        await (await client.PostJson("/v1/mgmt/outbound/app/update", """{"name":"unwrapped"}""")).ShouldBeError(400, "E011002");
        await (await client.PostJson("/v1/mgmt/outbound/app/update", """{"app":{"name":"no id"}}""")).ShouldBeError(400, "E011002");
        await (await client.PostJson("/v1/mgmt/outbound/app/delete", """{}""")).ShouldBeError(400, "E011002");
    }

    [SkippableTheory]
    [InlineData("{\"name\":", "E011001")]
    [InlineData("not json at all", "E011001")]
    [InlineData("{\"name\": 42}", "E011001")]
    [InlineData("{\"name\":\"x\",\"pkce\":\"yes\"}", "E011001")]
    public async Task Malformed_json_answers_400_with_the_error_body(string json, string code)
    {
        var body = await (await client.PostJson("/v1/mgmt/outbound/app/create", json)).ShouldBeError(400, code);
        body["errorMessage"]!.GetValue<string>().Should().NotContain("yes");
    }

    [SkippableFact]
    public async Task A_missing_body_is_a_missing_argument()
    {
        var response = await client.PostAsync("/v1/mgmt/outbound/app/create", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        ((int)response.StatusCode).Should().Be(400);
        (await response.Json())["errorCode"]!.GetValue<string>().Should().StartWith("E0110");
    }

    [SkippableFact]
    public async Task A_wrong_content_type_answers_400_with_the_error_body()
    {
        var response = await client.PostAsync("/v1/mgmt/outbound/app/create", new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.ShouldBeError(400, "E011001");
    }

    [SkippableFact]
    public async Task An_oversized_body_answers_413_with_the_error_body()
    {
        var huge = new string('x', 5 * 1024 * 1024);
        var response = await client.PostJson("/v1/mgmt/outbound/app/create", $$"""{"name":"x","description":"{{huge}}"}""");
        await response.ShouldBeError(413, "E081413");
    }

    [SkippableFact]
    public async Task Unknown_routes_and_methods_answer_json()
    {
        await (await client.GetAsync("/v1/mgmt/outbound/nothing-here/at/all")).ShouldBeError(404, "E081404");
        var wrongMethod = await client.DeleteAsync("/v1/mgmt/outbound/apps");
        ((int)wrongMethod.StatusCode).Should().BeOneOf(404, 405);
        (await wrongMethod.Json())["errorCode"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [SkippableFact]
    public async Task Ids_with_dots_underscores_and_dashes_round_trip_through_the_path()
    {
        var id = "my.app_" + Guid.NewGuid().ToString("N")[..6] + "-1";
        await Create($$"""{"id":"{{id}}","name":"Dotted"}""");
        var loaded = await (await client.GetAsync($"/v1/mgmt/outbound/app/{id}")).ShouldBeOk();
        loaded["app"]!["id"]!.GetValue<string>().Should().Be(id);
    }

    [SkippableFact]
    public async Task The_license_handshake_answers_a_tier()
    {
        var body = await (await client.GetAsync("/v1/mgmt/license")).ShouldBeOk();
        body["rateLimitTier"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [SkippableFact]
    public async Task Health_probes_answer()
    {
        var anonymous = fixture.Vault.CreateClient();
        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Json())["status"]!.GetValue<string>().Should().Be("Healthy");
    }
}

public sealed class AppEndpointTests_Sqlite(SqliteVault fixture) : AppEndpointTests(fixture), IClassFixture<SqliteVault>;

public sealed class AppEndpointTests_Postgres(PostgresVault fixture) : AppEndpointTests(fixture), IClassFixture<PostgresVault>;
