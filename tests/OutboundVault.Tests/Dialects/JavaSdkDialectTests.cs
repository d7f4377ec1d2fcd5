using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Dialects;

/// <summary>
/// Descope's Java SDK against the vault, by replaying what it sends and asserting what it reads (README, "SDK
/// compatibility"): Jackson fills its objects from the fields it knows and leaves the rest null.
/// </summary>
public abstract class JavaSdkDialectTests(VaultFixture fixture)
{
    const string Outbound = "/v1/mgmt/outbound";
    const long Expiry = 1900000000;
    readonly JavaSdkWire java = new(fixture.Vault.CreateClient());
    readonly TokenApi api = new(fixture.Management);

    async Task<JsonObject> Load(string id) => (await (await fixture.Management.GetAsync($"{Outbound}/app/{id}")).ShouldBeOk())["app"]!.AsObject();

    async Task<string> CreateFullApp()
    {
        var id = TestApps.NewId("java");
        await (await fixture.Management.PostJson($"{Outbound}/app/create", new
        {
            id, name = "Before", description = "kept", clientId = "cid", clientSecret = "kept-secret", authorizationUrl = "https://p.example.com/authorize",
            tokenUrl = "https://p.example.com/token", defaultScopes = new[] { "read" }, pkce = true, prompt = new[] { "consent" },
            authorizationUrlParams = new[] { new { key = "audience", value = "api" } },
        })).ShouldBeOk();
        return id;
    }

    [SkippableFact]
    public async Task Create_with_only_a_name_answers_the_generated_id_at_the_top_level()
    {
        var body = await (await java.Post($"{Outbound}/app/create", """{"name":"Java App"}""")).ShouldBeOk();

        body["id"]!.GetValue<string>().Should().NotBeNullOrEmpty().And.Be(body["app"]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Create_with_an_id_answers_that_id_at_the_top_level()
    {
        var id = TestApps.NewId("java");

        var body = await (await java.Post($"{Outbound}/app/create", $$"""{"id":"{{id}}","name":"Java App"}""")).ShouldBeOk();

        body["id"]!.GetValue<string>().Should().Be(id);
    }

    [SkippableFact]
    public async Task Load_by_query_answers_the_app_at_the_root()
    {
        var id = await CreateFullApp();

        var body = await (await java.Send(HttpMethod.Get, $"{Outbound}/app?id={id}")).ShouldBeOk();

        (body["id"]!.GetValue<string>(), body["name"]!.GetValue<string>(), body["description"]!.GetValue<string>(), body["app"]!["id"]!.GetValue<string>())
            .Should().Be((id, "Before", "kept", id));
    }

    [SkippableFact]
    public async Task Load_by_query_without_an_id_is_a_400()
    {
        await (await java.Send(HttpMethod.Get, $"{Outbound}/app")).ShouldBeError(400, "E011002");
    }

    [SkippableFact]
    public async Task Load_by_query_of_an_unknown_app_is_a_404()
    {
        await (await java.Send(HttpMethod.Get, $"{Outbound}/app?id={TestApps.NewId("java")}")).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task An_unwrapped_update_renames_the_app_and_keeps_every_other_field_and_the_secret()
    {
        var id = await CreateFullApp();
        var before = await Load(id);

        await (await java.Post($"{Outbound}/app/update", $$"""{"id":"{{id}}","name":"After"}""")).ShouldBeOk();

        var after = await Load(id);
        before["name"] = "After";
        before.Remove("updatedTime");
        after.Remove("updatedTime");
        after.ToJsonString().Should().Be(before.ToJsonString());
    }

    [SkippableFact]
    public async Task An_unwrapped_update_with_only_the_id_changes_nothing()
    {
        var id = await CreateFullApp();
        var before = (await Load(id)).ToJsonString();
        await Task.Delay(1100); // a change would show in updatedTime, which counts seconds

        await (await java.Post($"{Outbound}/app/update", $$"""{"id":"{{id}}"}""")).ShouldBeOk();

        (await Load(id)).ToJsonString().Should().Be(before);
    }

    [SkippableFact]
    public async Task An_update_with_both_forms_replaces_the_app_with_the_wrapped_one()
    {
        var id = await CreateFullApp();

        await (await java.Post($"{Outbound}/app/update", $$$"""{"id":"{{{id}}}","name":"Top","description":"top","app":{"id":"{{{id}}}","name":"Wrapped"}}""")).ShouldBeOk();

        var after = await Load(id);
        (after["name"]!.GetValue<string>(), after.ContainsKey("description")).Should().Be(("Wrapped", false));
    }

    [SkippableFact]
    public async Task An_unwrapped_update_with_an_invalid_field_is_a_400_and_changes_nothing()
    {
        var id = await CreateFullApp();
        var before = (await Load(id)).ToJsonString();

        await (await java.Post($"{Outbound}/app/update", $$"""{"id":"{{id}}","name":"After","tokenUrl":"ftp://p.example.com/token"}"""))
            .ShouldBeError(400, "E011003");

        (await Load(id)).ToJsonString().Should().Be(before);
    }

    [SkippableFact]
    public async Task An_unwrapped_update_of_an_unknown_app_is_a_404()
    {
        await (await java.Post($"{Outbound}/app/update", $$"""{"id":"{{TestApps.NewId("java")}}","name":"After"}""")).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task Load_all_answers_every_app_with_its_id_and_name()
    {
        var id = await CreateFullApp();

        var apps = (await (await java.Send(HttpMethod.Get, $"{Outbound}/apps")).ShouldBeOk())["apps"]!.AsArray();

        apps.Should().Contain(a => a!["id"]!.GetValue<string>() == id && a["name"]!.GetValue<string>() == "Before");
    }

    [SkippableFact]
    public async Task Delete_by_id_in_the_body_answers_an_empty_object()
    {
        var id = await CreateFullApp();

        var body = await (await java.Post($"{Outbound}/app/delete", $$"""{"id":"{{id}}"}""")).ShouldBeOk();

        body.ToJsonString().Should().Be("{}");
    }

    [SkippableTheory]
    [InlineData("app/user/token")]
    [InlineData("app/user/token/latest")]
    [InlineData("app/tenant/token")]
    [InlineData("app/tenant/token/latest")]
    public async Task Fetches_answer_java_without_the_times_it_cannot_parse(string route)
    {
        var json = await SeedAndFetchBody(route);

        var token = (await (await java.Post($"{Outbound}/{route}", json)).ShouldBeOk())["token"]!.AsObject();

        (token.ContainsKey("accessTokenExpiry"), token.ContainsKey("lastRefreshTime"), token["accessToken"]!.GetValue<string>())
            .Should().Be((false, false, "java-access"));
    }

    [SkippableFact]
    public async Task The_sdk_name_is_compared_without_regard_to_case()
    {
        var json = await SeedAndFetchBody("app/user/token/latest");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Outbound}/app/user/token/latest") { Content = JsonContent.Create(JsonNode.Parse(json)) };
        request.Headers.Add("X-Descope-SDK-Name", "JAVA");

        var token = (await (await fixture.Management.SendAsync(request)).ShouldBeOk())["token"]!.AsObject();

        token.ContainsKey("accessTokenExpiry").Should().BeFalse();
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("nodejs")]
    [InlineData("python")]
    [InlineData("golang")]
    public async Task Fetches_answer_every_other_caller_with_the_times_as_strings(string? sdkName)
    {
        var json = await SeedAndFetchBody("app/user/token/latest");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Outbound}/app/user/token/latest") { Content = JsonContent.Create(JsonNode.Parse(json)) };
        if (sdkName is not null) request.Headers.Add("x-descope-sdk-name", sdkName);

        var token = (await (await fixture.Management.SendAsync(request)).ShouldBeOk())["token"]!;

        (token["accessTokenExpiry"]!.GetValue<string>(), token["lastRefreshTime"]!.GetValue<string>()).Should().Be((Expiry.ToString(), "0"));
    }

    [SkippableFact]
    public async Task The_plural_tokens_route_deletes_a_users_tokens()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "j1", accessToken = "a", accessTokenExpiry = Expiry });

        await (await java.Send(HttpMethod.Delete, $"{Outbound}/tokens?appId={app}&userId=j1")).ShouldBeOk();

        await (await api.Post("app/user/token/latest", new { appId = app, userId = "j1" })).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task A_users_tokens_are_deleted_by_arguments_in_a_json_body()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "j2", accessToken = "a", accessTokenExpiry = Expiry });

        await (await java.Send(HttpMethod.Delete, $"{Outbound}/user/tokens", $$"""{"appId":"{{app}}","userId":"j2"}""")).ShouldBeOk();

        await (await api.Post("app/user/token/latest", new { appId = app, userId = "j2" })).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task A_token_is_deleted_by_its_id_in_a_json_body()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "j3", accessToken = "a", accessTokenExpiry = Expiry });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = "j3" }))["id"]!.GetValue<string>();

        await (await java.Send(HttpMethod.Delete, $"{Outbound}/token", $$"""{"id":"{{id}}"}""")).ShouldBeOk();

        await (await api.Post("app/user/token/latest", new { appId = app, userId = "j3" })).ShouldBeError(404, "E081404");
    }

    /// <summary>The Java SDK's own delete calls drop their arguments: the vault can only say what is missing.</summary>
    [SkippableTheory]
    [InlineData("token")]
    [InlineData("tokens")]
    public async Task A_delete_as_the_java_sdk_sends_it_without_arguments_is_a_400_naming_them(string route)
    {
        await (await java.Send(HttpMethod.Delete, $"{Outbound}/{route}")).ShouldBeError(400, "E011002");
    }

    /// <summary>Uploads a user and a tenant token of a new app and returns the fetch body for <paramref name="route"/>.</summary>
    async Task<string> SeedAndFetchBody(string route)
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "ju", accessToken = "java-access", scopes = new[] { "read" }, accessTokenExpiry = Expiry });
        await api.UploadTenantToken(new { appId = app, tenantId = "jt", accessToken = "java-access", scopes = new[] { "read" }, accessTokenExpiry = Expiry });
        var scopes = route.EndsWith("/latest", StringComparison.Ordinal) ? "" : ""","scopes":["read"]""";
        var owner = route.Contains("/tenant/", StringComparison.Ordinal) ? "\"tenantId\":\"jt\"" : "\"userId\":\"ju\"";
        return $$$"""{"appId":"{{{app}}}",{{{owner}}}{{{scopes}}},"options":{"withRefreshToken":false,"forceRefresh":false}}""";
    }
}

public sealed class JavaSdkDialectTests_Sqlite(SqliteVault fixture) : JavaSdkDialectTests(fixture), IClassFixture<SqliteVault>;

public sealed class JavaSdkDialectTests_Postgres(PostgresVault fixture) : JavaSdkDialectTests(fixture), IClassFixture<PostgresVault>;
