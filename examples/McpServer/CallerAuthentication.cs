using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace OutboundVault.Examples.Mcp;

/// <summary>
/// The MCP server is an OAuth-protected resource (RFC 9728): bearer tokens from <c>Auth:Authority</c> for
/// <c>Auth:Audience</c>; a request without a valid one gets 401 with <c>WWW-Authenticate</c> naming the
/// protected-resource metadata, which names the authorization server.
/// </summary>
public static class CallerAuthentication
{
    /// <summary>The claim that keeps the caller's raw access token, forwarded to the vault on the by-token path.</summary>
    public const string AccessTokenClaim = "example:access_token";
    const string MetadataPath = "/.well-known/oauth-protected-resource";
    static readonly string[] Scopes = ["outbound.token.fetch"];
    static readonly string[] BearerMethods = ["header"];

    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection("Auth");
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = auth["Authority"];
            o.Audience = auth["Audience"];
            o.RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", true);
            o.MapInboundClaims = false;
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.SecurityToken is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt)
                        (context.Principal!.Identity as ClaimsIdentity)!.AddClaim(new Claim(AccessTokenClaim, jwt.EncodedToken));
                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    context.Response.Headers.WWWAuthenticate =
                        $"Bearer resource_metadata=\"{PublicBase(context.Request)}{MetadataPath}/mcp\"";
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization();
        return services;
    }

    /// <summary>RFC 9728 metadata at the root well-known path and at the one for the <c>/mcp</c> resource.</summary>
    public static void MapProtectedResourceMetadata(this WebApplication app)
    {
        var authority = app.Configuration["Auth:Authority"];
        IResult Metadata(HttpRequest request) => Results.Json(new
        {
            resource = $"{PublicBase(request)}/mcp",
            authorization_servers = new[] { authority },
            scopes_supported = Scopes,
            bearer_methods_supported = BearerMethods,
        });
        app.MapGet(MetadataPath, Metadata);
        app.MapGet(MetadataPath + "/mcp", Metadata);
    }

    /// <summary><c>Example:PublicBaseUrl</c>, or the request's own scheme and host.</summary>
    public static string PublicBase(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Example:PublicBaseUrl"]?.TrimEnd('/')
        ?? $"{request.Scheme}://{request.Host}";
}
