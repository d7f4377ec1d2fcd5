using System.Security.Claims;
using OutboundVault.Errors;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Connect;

/// <summary>
/// Whose token a connect collects, and who is recorded as having granted it.
/// A user-token caller is its <c>sub</c>: a different body <c>userId</c> is refused (403), and so is
/// <c>tenantLevel</c>, since a user token cannot prove the user may act for a whole tenant.
/// A management-key caller names the owner: <c>userId</c> (optionally within <c>tenantId</c>), or a tenant
/// (<c>tenantLevel: true</c>, or <c>tenantId</c> alone). GrantedBy is the consenting user's id, or
/// "management" for a tenant-level connect that names no user.
/// </summary>
sealed record ConnectOwner(TokenOwner Owner, string GrantedBy)
{
    public const string ManagementGrantor = "management";

    public static ConnectOwner Resolve(ClaimsPrincipal caller, ConnectRequest request)
    {
        var userId = Blank(request.UserId);
        var tenantId = Blank(request.TenantId);
        var tenantLevel = request.TenantLevel == true;
        if (InboundCaller.From(caller)?.Subject is { } subject)
        {
            if (userId is not null && userId != subject)
                throw new VaultException(VaultError.Forbidden, "A user token connects its own user: leave userId out or set it to the token's sub");
            if (tenantLevel)
                throw new VaultException(VaultError.Forbidden, "Tenant-level connections need the management key; a user token connects its own user");
            return new(TokenOwner.User(subject, tenantId), subject);
        }
        if (tenantLevel || (userId is null && tenantId is not null))
        {
            if (tenantId is null) throw VaultException.Missing("tenantId is required when tenantLevel is true");
            return new(TokenOwner.Tenant(tenantId), userId ?? ManagementGrantor);
        }
        if (userId is null) throw VaultException.Missing("userId or tenantId is required when connecting with a management key");
        return new(TokenOwner.User(userId, tenantId), userId);
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
