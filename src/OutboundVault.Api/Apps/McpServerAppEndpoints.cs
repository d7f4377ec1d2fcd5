using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Providers;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>
/// <c>{mcpServerUrl, id?, name?, clientId?, clientSecret?}</c>: an app for a remote MCP server. Without a client id
/// the vault registers itself at the server's authorization server (RFC 7591) on the first connect.
/// </summary>
sealed record CreateFromMcpServerRequest(string? McpServerUrl, string? Id, string? Name, string? ClientId, string? ClientSecret);

sealed class CreateFromMcpServerRequestValidator : AbstractValidator<CreateFromMcpServerRequest>
{
    public CreateFromMcpServerRequestValidator()
    {
        RuleFor(r => r.McpServerUrl).NotEmptyArgument("mcpServerUrl").HttpUrl("mcpServerUrl");
        RuleFor(r => r.Id).ValidId("id");
        RuleFor(r => r.ClientSecret).Empty().When(r => string.IsNullOrEmpty(r.ClientId))
            .WithMessage("clientSecret needs a clientId");
    }
}

/// <summary>
/// Vault extension: an app filled from what a remote MCP server publishes (README, "Connecting to remote MCP
/// servers"). Everything lands in the standard app fields, the RFC 8707 <c>resource</c> as an entry of
/// authorizationUrlParams and tokenUrlParams, so an SDK's load-and-update keeps it and every code exchange and
/// refresh sends it.
/// </summary>
static class McpServerAppEndpoints
{
    const string ResourceParameter = "resource";

    public static RouteGroupBuilder MapMcpServerApps(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/create/bymcpserver", CreateFromMcpServer).Validate<CreateFromMcpServerRequest>()
            .WithName("CreateAppFromMcpServer")
            .WithSummary("Create an outbound app for a remote MCP server from its RFC 9728 and RFC 8414 metadata (vault extension)");
        return outbound;
    }

    static async Task<Ok<AppEnvelope>> CreateFromMcpServer(
        CreateFromMcpServerRequest request, ProviderClient providers, AppCreator creator, CancellationToken ct)
    {
        ProtectedResourceMetadata server;
        try
        {
            server = await providers.DiscoverProtectedResourceAsync(request.Id ?? "(new)", request.McpServerUrl!, ct);
        }
        catch (ProviderException ex)
        {
            throw ex.ToVaultException();
        }

        var registers = string.IsNullOrEmpty(request.ClientId);
        if (registers && server.Endpoints.RegistrationUrl is null)
        {
            throw Errors.VaultException.Invalid(
                $"The authorization server of {request.McpServerUrl} offers no dynamic client registration: pass the clientId (and clientSecret) it issued to the vault");
        }

        UrlParamInput[] resource = [new() { Key = ResourceParameter, Value = server.Resource }];
        var app = new AppRequest
        {
            Id = request.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? server.ResourceName ?? new Uri(server.Resource).Authority : request.Name,
            Description = $"MCP server {server.Resource}",
            ClientId = request.ClientId,
            ClientSecret = request.ClientSecret,
            DiscoveryUrl = server.AuthorizationServerMetadataUrl,
            AuthorizationUrl = server.Endpoints.AuthorizationUrl,
            TokenUrl = server.Endpoints.TokenUrl,
            RevocationUrl = server.Endpoints.RevocationUrl,
            AuthorizationUrlParams = [.. resource],
            TokenUrlParams = [.. resource],
            DefaultScopes = [.. server.Scopes],
            Pkce = true,
            UseDcr = registers,
            DcrUrl = server.Endpoints.RegistrationUrl,
            TokenEndpointAuthMethod = AuthMethod(hasSecret: registers || !string.IsNullOrEmpty(request.ClientSecret), server.TokenEndpointAuthMethods),
        };
        return TypedResults.Ok(new AppEnvelope(await creator.CreateAssembledAsync(app, "the MCP server's metadata", ct)));
    }

    /// <summary>client_secret_post where the server allows it (also when it does not say), else basic, else a public client.</summary>
    static string AuthMethod(bool hasSecret, IReadOnlyList<string> supported)
    {
        if (!hasSecret) return ProviderApp.NoClientAuthentication;
        if (supported.Count == 0 || supported.Contains(ProviderApp.ClientSecretPost)) return ProviderApp.ClientSecretPost;
        if (supported.Contains(ProviderApp.ClientSecretBasic)) return ProviderApp.ClientSecretBasic;
        return supported.Contains(ProviderApp.NoClientAuthentication) ? ProviderApp.NoClientAuthentication : ProviderApp.ClientSecretPost;
    }
}
