using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Hosting;

/// <summary>
/// A fuzz pass over every route of the OpenAPI document: each path parameter, query parameter and body field in
/// turn gets a NUL, control characters, a huge value or the wrong type. Whatever the vault makes of it, the answer
/// is never a 5xx, and an API route answers a Descope error body or its JSON result.
/// </summary>
public abstract class HostileInputTests(VaultFixture fixture)
{
    static readonly JsonNode?[] HostileValues =
    [
        "a\u0000b", "\u0001\u001f\r\nx", new string('x', 70_000), "%00", 12345, true, new JsonArray(1, "x"), new JsonObject { ["x"] = 1 },
    ];

    /// <summary>The browser pages answer HTML by design; every other route answers JSON.</summary>
    static readonly string[] HtmlRoutes = ["/v1/outbound/oauth/callback", "/v1/outbound/oauth/start", "/v1/outbound/apikey"];

    [SkippableFact]
    public async Task No_hostile_value_in_any_field_of_any_route_answers_5xx_or_a_non_json_body()
    {
        var document = await (await fixture.Vault.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeOk();
        var failures = new List<string>();
        var sent = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal)) continue;
            foreach (var (method, operation) in operations!.AsObject())
            {
                foreach (var request in Variants(document, path, method, operation!))
                {
                    sent++;
                    using var response = await fixture.Management.SendAsync(request.Build());
                    var body = await response.Content.ReadAsStringAsync();
                    var json = response.Content.Headers.ContentType?.MediaType == "application/json" && body.Length > 0;
                    if ((int)response.StatusCode >= 500 || (!json && !HtmlRoutes.Contains(path)) || body.Length == 0)
                        failures.Add($"{method.ToUpperInvariant()} {path} {request.Description}: {(int)response.StatusCode} {Shorten(body)}");
                }
            }
        }

        sent.Should().BeGreaterThan(500, "the pass reaches every field of every route");
        failures.Should().BeEmpty();
    }

    sealed record FuzzRequest(HttpMethod Method, string Path, Dictionary<string, string> Query, JsonObject? Body, string Description)
    {
        public HttpRequestMessage Build()
        {
            var query = string.Join('&', Query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
            var request = new HttpRequestMessage(Method, query.Length == 0 ? Path : $"{Path}?{query}");
            if (Body is not null)
            {
                request.Content = new StringContent(Body.ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            return request;
        }
    }

    static IEnumerable<FuzzRequest> Variants(JsonNode document, string path, string method, JsonNode operation)
    {
        var httpMethod = new HttpMethod(method.ToUpperInvariant());
        var parameters = operation["parameters"]?.AsArray().Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>())).ToList() ?? [];
        var pathParameters = parameters.Where(p => p.In == "path").Select(p => p.Name).ToList();
        var queryParameters = parameters.Where(p => p.In == "query").Select(p => p.Name).ToList();
        var schema = Resolve(document, operation["requestBody"]?["content"]?["application/json"]?["schema"]);
        var fields = schema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];

        string PathWith(string? hostile, string? parameter) => pathParameters.Aggregate(path, (p, name) =>
            p.Replace("{" + name + "}", Uri.EscapeDataString(name == parameter ? hostile! : "fuzz-app"), StringComparison.Ordinal));
        Dictionary<string, string> QueryWith(string? hostile, string? parameter) =>
            queryParameters.ToDictionary(q => q, q => q == parameter ? hostile! : "fuzz");
        JsonObject? BodyWith(JsonNode? hostile, string? field) => schema is null ? null
            : new JsonObject(fields.Select(f => KeyValuePair.Create(f, f == field ? hostile?.DeepClone() : Plausible(document, schema["properties"]![f]))));

        foreach (var value in HostileValues)
        {
            var text = value!.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            // A NUL in the path never reaches the vault: the server refuses the request line itself.
            foreach (var parameter in pathParameters.Where(_ => !text.Contains('\0')))
                yield return new(httpMethod, PathWith(text, parameter), QueryWith(null, null), BodyWith(null, null), $"path {parameter}={Shorten(text)}");
            foreach (var parameter in queryParameters)
                yield return new(httpMethod, PathWith(null, null), QueryWith(text, parameter), BodyWith(null, null), $"query {parameter}={Shorten(text)}");
            foreach (var field in fields)
                yield return new(httpMethod, PathWith(null, null), QueryWith(null, null), BodyWith(value, field), $"body {field}={Shorten(text)}");
        }
    }

    /// <summary>A value of the field's declared type, so that the hostile field is the only odd one.</summary>
    static JsonNode? Plausible(JsonNode document, JsonNode? property)
    {
        var schema = Resolve(document, property);
        var type = schema?["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue single => single.GetValue<string>(),
            _ => null,
        };
        return type switch
        {
            "string" => "fuzz",
            "boolean" => false,
            "integer" or "number" => 1,
            "array" => new JsonArray(),
            "object" => new JsonObject(),
            _ => null,
        };
    }

    static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        while (schema?["$ref"] is { } reference)
            schema = reference.GetValue<string>().TrimStart('#', '/').Split('/').Aggregate((JsonNode?)document, (node, part) => node?[part]);
        return schema;
    }

    static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}

public sealed class HostileInputTests_Sqlite(SqliteVault fixture) : HostileInputTests(fixture), IClassFixture<SqliteVault>;

public sealed class HostileInputTests_Postgres(PostgresVault fixture) : HostileInputTests(fixture), IClassFixture<PostgresVault>;
