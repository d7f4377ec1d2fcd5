using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>Raw-JSON helpers: tests send the exact bytes an SDK would and read responses as JSON trees.</summary>
public static class HttpJson
{
    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static async Task<JsonNode> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json", $"every API response is JSON (body: {text})");
        return JsonNode.Parse(text) ?? throw new JsonException("null body");
    }

    /// <summary>Asserts a Descope error body with the given status and code and returns it.</summary>
    public static async Task<JsonNode> ShouldBeError(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.Json();
        ((int)response.StatusCode).Should().Be(status, body.ToJsonString());
        body["errorCode"]!.GetValue<string>().Should().Be(code, body.ToJsonString());
        body["errorDescription"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["errorMessage"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        return body;
    }

    public static async Task<JsonNode> ShouldBeOk(this HttpResponseMessage response)
    {
        var body = await response.Json();
        ((int)response.StatusCode).Should().Be(200, body.ToJsonString());
        return body;
    }
}
