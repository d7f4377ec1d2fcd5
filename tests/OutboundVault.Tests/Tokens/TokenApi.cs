using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>Apps and tokens for token tests, through the same HTTP routes the SDKs call.</summary>
public sealed class TokenApi(HttpClient client)
{
    public const string Outbound = "/v1/mgmt/outbound";

    public const string LoopbackTokenUrl = TestApps.LoopbackTokenUrl;

    public HttpClient Client => client;

    /// <summary>A secret-looking value unique to one test, easy to search for in files, dumps and logs.</summary>
    public static string Secret(string what) => $"{what}-SECRET-{Guid.NewGuid():N}";

    public Task<string> CreateOAuthApp(string? id = null) => client.CreateAsync(TestApps.OAuth(id));

    public Task<string> CreateApiKeyApp(string? id = null) => client.CreateAsync(TestApps.ApiKey(id));

    public Task<HttpResponseMessage> Post(string route, string json) => client.PostJson($"{Outbound}/{route}", json);

    public Task<HttpResponseMessage> Post(string route, object body) => client.PostJson($"{Outbound}/{route}", body);

    public async Task UploadUserToken(object body) => await (await Post("app/user/oauthtoken/upload", body)).ShouldBeOk();

    public async Task UploadTenantToken(object body) => await (await Post("app/tenant/oauthtoken/upload", body)).ShouldBeOk();

    /// <summary>The <c>token</c> object of a successful fetch.</summary>
    public async Task<JsonNode> Fetch(string route, object body) => (await (await Post(route, body)).ShouldBeOk())["token"]!;

    public async Task<JsonNode> Fetch(string route, string json) => (await (await Post(route, json)).ShouldBeOk())["token"]!;
}
