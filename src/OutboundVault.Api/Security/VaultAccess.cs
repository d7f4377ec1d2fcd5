using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using OutboundVault.Errors;
using OutboundVault.Tokens;

namespace OutboundVault.Security;

/// <summary>
/// The vault's one authorization layer. A route names what it needs (<see cref="Admin"/>, <see cref="Fetch"/>,
/// <see cref="Connect"/>); <see cref="EnsureMayUse"/> then decides, once the body names them, whether the
/// caller may touch that app's tokens of that owner. Both management keys and inbound access tokens pass
/// through here, and every refusal answers the Descope body (401 for who, 403 for what).
/// </summary>
sealed class VaultAccess(IOptionsMonitor<AccessOptions> options, ILogger<VaultAccess> logger)
{
    /// <summary>Everything: app management, uploads, deletes, lists, keys. Admin keys only.</summary>
    public const string Admin = "Admin";
    /// <summary>docs/contract.md rows 7–10: a management key (admin or fetch), or an access token with <c>outbound.token.fetch</c>.</summary>
    public const string Fetch = "Fetch";
    /// <summary>docs/contract.md rows 20–21 and the license: a management key (admin or fetch), or an access token (which connects its own user).</summary>
    public const string Connect = "Connect";
    /// <summary>docs/contract.md row 13 (a user's connected apps): a management key, admin or fetch; not an access token.</summary>
    public const string Lookup = "Lookup";

    /// <summary>
    /// Whether the caller may use <paramref name="appId"/>'s tokens of <paramref name="owner"/>. A management key
    /// may; an access token only for its own <c>sub</c>, only in tenants it belongs to, and only for apps whose
    /// <c>Access:Apps</c> rule (if any) names one of its scopes or its client.
    /// </summary>
    public void EnsureMayUse(ClaimsPrincipal principal, string appId, TokenOwner owner)
    {
        if (ManagementKey.Of(principal) is { } key)
        {
            if (!key.MayUse(appId)) throw new VaultException(VaultError.Forbidden, $"This fetch key may not use app '{appId}'");
            return;
        }
        if (InboundCaller.From(principal) is not { } caller) return;
        if (!owner.IsTenantLevel && owner.UserId != caller.Subject)
            throw Refused(caller, appId, "An access token may only use its own user's tokens (userId must be the token's sub)");
        if (owner.TenantId.Length > 0 && !caller.Tenants.Contains(owner.TenantId))
            throw Refused(caller, appId, $"The access token does not belong to tenant '{owner.TenantId}'");
        if (options.CurrentValue.Apps.TryGetValue(appId, out var rule)
            && !rule.Scopes.Any(caller.Scopes.Contains)
            && !(caller.ClientId is { } client && rule.ClientIds.Contains(client, StringComparer.Ordinal)))
        {
            throw Refused(caller, appId, $"Access:Apps:{appId} does not allow this access token's scopes or client");
        }

        logger.LogInformation("Access token of {Subject} uses app {AppId} for {Owner}", caller.Subject, appId, owner);
    }

    VaultException Refused(InboundCaller caller, string appId, string message)
    {
        logger.LogInformation("Access token of {Subject} refused for app {AppId}: {Reason}", caller.Subject, appId, message);
        return new VaultException(VaultError.Forbidden, message);
    }

    internal static void AddPolicies(AuthorizationBuilder authorization)
    {
        foreach (var route in new[] { Admin, Fetch, Connect, Lookup })
        {
            authorization.AddPolicy(route, p => p
                .AddAuthenticationSchemes(InboundTokenAuthentication.CallerScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new RouteRequirement(route)));
        }
    }

    internal sealed record RouteRequirement(string Route) : IAuthorizationRequirement;

    internal sealed class RouteHandler : AuthorizationHandler<RouteRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RouteRequirement requirement)
        {
            var key = ManagementKey.Of(context.User);
            var caller = InboundCaller.From(context.User);
            var refusal = (requirement.Route, key, caller) switch
            {
                (Admin, { IsAdmin: false }, _) => "A fetch key may only fetch tokens, list a user's connected apps and connect; this route needs an admin key",
                (_, not null, _) => null,
                (_, _, null) => "These credentials may not call this route",
                (Admin or Lookup, _, _) => "An access token may only fetch tokens and connect; this route needs the management key",
                (Fetch, _, _) when !caller.Scopes.Contains(InboundCaller.FetchScope) => $"The access token lacks the {InboundCaller.FetchScope} scope",
                _ => null,
            };
            if (refusal is null) context.Succeed(requirement);
            else context.Fail(new AuthorizationFailureReason(this, refusal));
            return Task.CompletedTask;
        }
    }

    /// <summary>Writes every authentication and authorization refusal as the Descope error body.</summary>
    internal sealed class RefusalWriter : IAuthorizationMiddlewareResultHandler
    {
        readonly AuthorizationMiddlewareResultHandler fallback = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (result.Succeeded || context.Response.HasStarted)
            {
                await fallback.HandleAsync(next, context, policy, result);
                return;
            }
            VaultException refusal;
            if (result.Challenged)
            {
                using var failure = context.RequestServices.GetRequiredService<Hosting.FailedAuthentications>().Record(context);
                if (!failure.IsAcquired)
                {
                    await Hosting.RateLimiting.RejectAsync(context, failure, context.RequestAborted);
                    return;
                }
                var authentication = await context.AuthenticateAsync(InboundTokenAuthentication.CallerScheme);
                refusal = authentication.Failure as VaultException ?? new VaultException(VaultError.Unauthorized,
                    "Missing or invalid credentials: send Authorization: Bearer <ProjectId>:<ManagementKey>");
            }
            else
            {
                var reason = result.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message;
                refusal = new VaultException(VaultError.Forbidden, reason ?? "These credentials may not call this route");
            }
            context.Response.StatusCode = refusal.Error.Status;
            await context.Response.WriteAsJsonAsync(DescopeError.From(refusal.Error, refusal.Message));
        }
    }
}
