using System.Text.Json;
using Npgsql;
using OutboundVault.Security;

// The TechEmpower "single query" shape on this stack, with the vault's own authentication: Kestrel, a minimal
// API, the vault's management-key check (ManagementCredentials), one prepared statement through a raw
// NpgsqlDataSource (the owner-index query the vault's fetch runs), JSON out, no logging, no audit, no metrics.
// What the vault spends beyond this is what its features cost (bench/README.md, "Fetch latest").
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var (projectId, key) = (builder.Configuration["ProjectId"]!, builder.Configuration["ManagementKey"]!);
var credentials = new ManagementCredentials();
credentials.Load(projectId, [(ManagementCredentials.Hash(key), new ManagementKey("floor", KeyRoles.Admin, []))]);
await using var database = new NpgsqlDataSourceBuilder(builder.Configuration["ConnectionString"]!).Build();
var app = builder.Build();

const string OwnerTokens = """
    SELECT "Id", "AppId", "UserId", "TenantId", "AccessTokenCipher", "TokenType", "AccessTokenExpiresAt", "Scopes", "Status"
    FROM outbound_tokens WHERE "AppId" = $1 AND "UserId" = $2 AND "TenantId" = $3 ORDER BY "UpdatedAt" DESC, "Id" DESC
    """;

app.MapPost("/v1/mgmt/outbound/app/user/token/latest", async (HttpContext http) =>
{
    var bearer = http.Request.Headers.Authorization.ToString();
    var separator = bearer.IndexOf(':', StringComparison.Ordinal);
    var authenticated = bearer.StartsWith("Bearer ", StringComparison.Ordinal) && separator > 7
        && credentials.Find(bearer[7..separator], bearer[(separator + 1)..]) is not null;
    if (!authenticated) return Results.Json(new { errorCode = "E081401" }, statusCode: 401);

    var request = await http.Request.ReadFromJsonAsync<FetchRequest>(http.RequestAborted);
    await using var command = database.CreateCommand(OwnerTokens);
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request!.AppId });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.UserId });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.TenantId ?? "" });
    await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
    while (await reader.ReadAsync(http.RequestAborted))
    {
        if (reader.GetString(8) != "valid") continue;
        return Results.Json(new
        {
            token = new
            {
                id = reader.GetString(0), appId = reader.GetString(1), userId = reader.GetString(2),
                accessToken = reader.IsDBNull(4) ? null : reader.GetString(4), accessTokenType = reader.IsDBNull(5) ? null : reader.GetString(5),
                accessTokenExpiry = reader.IsDBNull(6) ? "0" : new DateTimeOffset(reader.GetDateTime(6)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                scopes = JsonSerializer.Deserialize<string[]>(reader.GetString(7)),
            },
        });
    }
    return Results.Json(new { errorCode = "E081404" }, statusCode: 404);
});

app.Run();

sealed record FetchRequest(string AppId, string UserId, string? TenantId);
