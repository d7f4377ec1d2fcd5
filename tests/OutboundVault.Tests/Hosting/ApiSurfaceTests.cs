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
    /// <summary>Contract rows 1–22 (descope-outbound-api.md §2) plus the vault's own routes.</summary>
    static readonly string[] ContractRoutes =
    [
        "POST /v1/mgmt/outbound/app/create",
        "POST /v1/mgmt/outbound/app/update",
        "POST /v1/mgmt/outbound/app/delete",
        "GET /v1/mgmt/outbound/app/{id}",
        "GET /v1/mgmt/outbound/apps",
        "GET /v1/mgmt/license",
    ];

    List<string> MappedRoutes() => fixture.Vault.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
            .Select(m => $"{m} {e.RoutePattern.RawText}"))
        .ToList();

    [Fact]
    public void Every_contract_route_is_mapped()
    {
        MappedRoutes().Should().Contain(ContractRoutes);
    }

    [Fact]
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

    [Fact]
    public async Task Swagger_ui_is_served_and_points_at_the_document()
    {
        var client = fixture.Vault.CreateClient();
        var page = await client.GetAsync("/swagger/index.html");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
        var config = await client.GetStringAsync("/swagger/index.js");
        config.Should().Contain("/openapi/v1.json");
    }

    [Fact]
    public void Error_codes_are_unique_and_never_503()
    {
        VaultError.All.Select(e => e.Code).Should().OnlyHaveUniqueItems();
        VaultError.All.Should().OnlyContain(e => e.Status != 503 && e.Code.Length == 7 && e.Code[0] == 'E');
    }

    [Fact]
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
