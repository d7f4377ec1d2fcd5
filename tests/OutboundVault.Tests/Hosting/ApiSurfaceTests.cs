using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Errors;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Hosting;

/// <summary>Locks the route table to the contract, and keeps Swagger UI and the README honest.</summary>
public sealed class ApiSurfaceTests(SqliteVault fixture) : IClassFixture<SqliteVault>
{
    /// <summary>docs/contract.md rows 1–22 plus the vault's own routes (A–G).</summary>
    static readonly string[] ContractRoutes =
    [
        "POST /v1/mgmt/outbound/app/create",                           // 1
        "POST /v1/mgmt/outbound/app/create/bytemplate",                // 2
        "POST /v1/mgmt/outbound/app/update",                           // 3
        "POST /v1/mgmt/outbound/app/delete",                           // 4
        "GET /v1/mgmt/outbound/app/{id}",                              // 5
        "GET /v1/mgmt/outbound/apps",                                  // 6
        "POST /v1/mgmt/outbound/app/user/token",                       // 7
        "POST /v1/mgmt/outbound/app/user/token/latest",                // 8
        "POST /v1/mgmt/outbound/app/tenant/token",                     // 9
        "POST /v1/mgmt/outbound/app/tenant/token/latest",              // 10
        "DELETE /v1/mgmt/outbound/user/tokens",                        // 11
        "DELETE /v1/mgmt/outbound/token",                              // 12
        "GET /v1/mgmt/outbound/apps-with-user-token",                  // 13
        "POST /v1/mgmt/outbound/app/user/apikey/upload",               // 14
        "POST /v1/mgmt/outbound/app/tenant/apikey/upload",             // 15
        "POST /v1/mgmt/outbound/app/user/oauthtoken/upload",           // 16
        "POST /v1/mgmt/outbound/app/tenant/oauthtoken/upload",         // 17
        "POST /v1/mgmt/outbound/app/user/oauthtoken/batch/upload",     // 18
        "POST /v1/mgmt/outbound/app/tenant/oauthtoken/batch/upload",   // 19
        "POST /v1/outbound/oauth/connect",                             // 20
        "POST /v1/mgmt/outbound/app/connect",                          // 21
        "GET /v1/mgmt/license",                                        // 22
        // The vault's own: callback, hosted API-key page, token management, manual refresh, templates, remote MCP servers.
        "GET /v1/outbound/oauth/callback",
        "GET /v1/outbound/oauth/start",
        "GET /v1/outbound/apikey",
        "POST /v1/outbound/apikey",
        "GET /v1/mgmt/outbound/app/{appId}/tokens",
        "POST /v1/mgmt/outbound/token/refresh",
        "GET /v1/mgmt/outbound/templates",
        "POST /v1/mgmt/outbound/app/create/bymcpserver",
        // The Java SDK's spellings of rows 5 and 11.
        "GET /v1/mgmt/outbound/app",
        "DELETE /v1/mgmt/outbound/tokens",
        // Management keys made at run time.
        "POST /v1/mgmt/keys/create",
        "GET /v1/mgmt/keys",
        "POST /v1/mgmt/keys/revoke",
        "GET /v1/mgmt/audit",
    ];

    List<string> MappedRoutes() => fixture.Vault.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            .Select(m => $"{m} {e.RoutePattern.RawText}"))
        .ToList();

    [SkippableFact]
    public void Every_contract_route_is_mapped_and_nothing_else()
    {
        MappedRoutes().Where(r => r.Contains(" /v1/", StringComparison.Ordinal)).Should().BeEquivalentTo(ContractRoutes);
    }

    [SkippableFact]
    public async Task Every_management_route_is_in_the_openapi_document_with_the_bearer_scheme()
    {
        var document = await (await fixture.Vault.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeOk();
        var paths = document["paths"]!.AsObject();
        foreach (var route in MappedRoutes().Where(r => r.Contains("/v1/", StringComparison.Ordinal)))
        {
            var (method, path) = (route.Split(' ')[0].ToLowerInvariant(), route.Split(' ')[1]);
            paths.ContainsKey(path).Should().BeTrue($"{route} should be documented");
            paths[path]!.AsObject().ContainsKey(method).Should().BeTrue($"{route} should be documented");
        }
        document["components"]!["securitySchemes"]!["ManagementKey"]!["scheme"]!.GetValue<string>().Should().Be("bearer");
        document["security"]!.AsArray().Should().NotBeEmpty();
    }

    [SkippableFact]
    public async Task Swagger_ui_is_served_and_points_at_the_document()
    {
        var client = fixture.Vault.CreateClient();
        var page = await client.GetAsync("/swagger/index.html");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
        var config = await client.GetStringAsync("/swagger/index.js");
        config.Should().Contain("/openapi/v1.json");
    }

    [SkippableFact]
    public void Error_codes_are_unique_and_never_503()
    {
        VaultError.All.Select(e => e.Code).Should().OnlyHaveUniqueItems();
        VaultError.All.Should().OnlyContain(e => e.Status != 503 && e.Code.Length == 7 && e.Code[0] == 'E');
    }

    [SkippableFact]
    public void The_readme_lists_every_error_code()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (var error in VaultError.All) readme.Should().Contain($"`{error.Code}`", $"README must list {error.Description}");
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OutboundVault.sln"))) return dir.FullName;
        throw new InvalidOperationException("Repository root not found");
    }
}
