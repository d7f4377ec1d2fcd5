using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Connect;

/// <summary>The connect routes (docs/contract.md rows 20 and 21) and the OAuth callback.</summary>
static class ConnectEndpoints
{
    public const string UserConnectPath = "/v1/outbound/oauth/connect";
    // Mapped outside the management group: besides the management key it accepts a user JWT.
    public const string ManagementConnectPath = "/v1/mgmt/outbound/app/connect";

    public static RouteGroupBuilder MapConnectRoutes(this RouteGroupBuilder connect)
    {
        connect.MapPost(UserConnectPath, Connect).Validate<ConnectRequest>()
            .RequireAuthorization(VaultAccess.Connect)
            .WithName("Connect").WithSummary("Start connecting a user or tenant to an outbound app; answers the provider authorization URL")
            .WithDescription("Bearer <ProjectId>:<access token> or Bearer <access token> (the user is the token's sub) or <ProjectId>:<ManagementKey> with userId and/or tenantId in the body.");
        connect.MapPost(ManagementConnectPath, Connect).Validate<ConnectRequest>()
            .RequireAuthorization(VaultAccess.Connect)
            .WithName("ConnectApp").WithSummary("Start connecting to an outbound app (same as /v1/outbound/oauth/connect)");
        connect.MapGet(CallbackUris.CallbackPath, Callback).AllowAnonymous()
            .WithName("ConnectCallback").WithSummary("Where the provider sends the browser back; redirects with outbound_* markers or shows a result page")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status200OK, contentType: "text/html");
        connect.MapGet(BrowserBinding.StartPath, Start).AllowAnonymous()
            .WithName("ConnectStart").WithSummary("Connect:BindToBrowser: the link a bound connect answers; binds the browser with a cookie and redirects to the provider")
            .Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status400BadRequest, contentType: "text/html");
        return connect;
    }

    static async Task<Ok<ConnectResponse>> Connect(
        ConnectRequest request, ClaimsPrincipal caller, VaultAccess access, HttpRequest http, ConnectStarter starter, CancellationToken ct)
    {
        var owner = ConnectOwner.Resolve(caller, request);
        access.EnsureMayUse(caller, request.AppId!, owner.Owner);
        return TypedResults.Ok(new ConnectResponse(await starter.StartAsync(request, owner, http, ct)));
    }

    static async Task<ConnectResultPage> Callback(HttpRequest http, ConnectCallback callback, CancellationToken ct) =>
        new(await callback.CompleteAsync(http, ct));

    static Task<IResult> Start(HttpContext http, BrowserBinding binding, CancellationToken ct) =>
        binding.StartAsync(http.Request.Query["state"] is { Count: 1 } state ? state[0] : null, http, ct);
}
