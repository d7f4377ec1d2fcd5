using System.Text.Json;
using System.Text.Json.Nodes;

namespace OutboundVault.FakeProvider;

/// <summary>POST /register: open dynamic client registration (RFC 7591), plus failure injection.</summary>
static class FakeRegistrationEndpoint
{
    static readonly string[] SupportedGrantTypes = ["authorization_code", "refresh_token"];
    static readonly string[] SupportedResponseTypes = ["code"];

    public static async Task<IResult> HandleAsync(HttpContext http, FakeOAuthProvider fake)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        fake.RecordRegistrationRequest(body);
        var options = fake.Options;
        try
        {
            if (options.RegistrationLatency > TimeSpan.Zero)
            {
                await Task.Delay(options.RegistrationLatency, http.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            return Results.Empty; // The client gave up; nobody reads this answer.
        }

        if (options.RegistrationFailure is { } failure)
        {
            return Inject(failure);
        }

        if (Parse(body) is not { } metadata)
        {
            return Error("invalid_client_metadata", "The body is not a JSON object.");
        }

        var redirectUris = Strings(metadata, "redirect_uris");
        if (redirectUris is not { Count: > 0 } || !redirectUris.All(uri => Uri.TryCreate(uri, UriKind.Absolute, out _)))
        {
            return Error("invalid_redirect_uri", "redirect_uris must be a non-empty array of absolute URIs.");
        }

        // RFC 7591 §2: client_secret_basic when the client does not say.
        var authMethod = metadata["token_endpoint_auth_method"] is JsonValue value && value.TryGetValue<string>(out var named)
            ? named
            : "client_secret_basic";
        if (ParseAuthMethod(authMethod) is not { } method
            || !(Strings(metadata, "grant_types") ?? ["authorization_code"]).All(SupportedGrantTypes.Contains)
            || !(Strings(metadata, "response_types") ?? ["code"]).All(SupportedResponseTypes.Contains))
        {
            return Error("invalid_client_metadata", "Unsupported token_endpoint_auth_method, grant_types or response_types.");
        }

        var client = fake.Clients.Add(method, redirectUris);
        var answer = new JsonObject
        {
            ["client_id"] = client.ClientId,
            ["client_id_issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["redirect_uris"] = new JsonArray(redirectUris.Select(uri => (JsonNode?)uri).ToArray()),
            ["grant_types"] = metadata["grant_types"]?.DeepClone(),
            ["response_types"] = metadata["response_types"]?.DeepClone(),
            ["token_endpoint_auth_method"] = authMethod,
            ["client_name"] = metadata["client_name"]?.DeepClone(),
            ["scope"] = metadata["scope"]?.DeepClone(),
        };
        foreach (var name in answer.Where(field => field.Value is null).Select(field => field.Key).ToList())
        {
            answer.Remove(name); // Metadata the client did not send is left out, not answered as null.
        }

        if (client.ClientSecret is not null)
        {
            answer["client_secret"] = client.ClientSecret;
            answer["client_secret_expires_at"] = 0;
        }

        return Results.Json(answer, statusCode: StatusCodes.Status201Created);
    }

    static IResult Inject(FakeRegistrationFailure failure) => failure switch
    {
        FakeRegistrationFailure.ServerError =>
            Results.Json(new { error = "server_error" }, statusCode: StatusCodes.Status500InternalServerError),
        FakeRegistrationFailure.MalformedJson => Results.Text("not json", "application/json", statusCode: StatusCodes.Status201Created),
        FakeRegistrationFailure.MissingClientId =>
            Results.Json(new { client_secret = "orphan-secret" }, statusCode: StatusCodes.Status201Created),
        FakeRegistrationFailure.UnsupportedAuthMethod => Results.Json(
            new { client_id = FakeGrantStore.NewValue("dcr"), token_endpoint_auth_method = "private_key_jwt" },
            statusCode: StatusCodes.Status201Created),
        _ => Error("invalid_client_metadata", FakeOAuthProvider.RegistrationRefusalText),
    };

    static IResult Error(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);

    static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static List<string>? Strings(JsonObject metadata, string name) =>
        metadata[name] is JsonArray array && array.All(item => item?.GetValueKind() == JsonValueKind.String)
            ? array.Select(item => item!.GetValue<string>()).ToList()
            : null;

    static FakeClientAuth? ParseAuthMethod(string method) => method switch
    {
        "client_secret_post" => FakeClientAuth.ClientSecretPost,
        "client_secret_basic" => FakeClientAuth.ClientSecretBasic,
        "none" => FakeClientAuth.None,
        _ => null,
    };
}
