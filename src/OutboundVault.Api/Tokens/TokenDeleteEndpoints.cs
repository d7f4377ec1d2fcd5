using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>Contract rows 11 and 12: a user's tokens by app and/or user, and one token by id.</summary>
internal static class TokenDeleteEndpoints
{
    public static RouteGroupBuilder MapTokenDeletes(this RouteGroupBuilder outbound)
    {
        outbound.MapDelete("/user/tokens", DeleteUserTokens).ProducesValidationError()
            .WithName("DeleteUserTokens")
            .WithSummary("Delete user tokens by appId and/or userId (tenant-scoped user tokens included, tenant-level tokens not); {} even when none matched");
        outbound.MapDelete("/token", DeleteTokenById).ProducesValidationError().Produces<DescopeError>(StatusCodes.Status404NotFound)
            .WithName("DeleteTokenById")
            .WithSummary("Delete one token (user or tenant) by id; 404 when no token has that id");
        return outbound;
    }

    static async Task<Ok<EmptyResponse>> DeleteUserTokens(
        [FromQuery] string? appId, [FromQuery] string? userId, TokenDeleter deleter, CancellationToken ct)
    {
        var (app, user) = (Arguments.Given(appId), Arguments.Given(userId));
        if (app is null && user is null) throw VaultException.Missing("appId or userId is required (both may be given)");
        if (app is not null && !RuleExtensions.IsValidId(app)) throw VaultException.Invalid("appId must be 1 to 100 letters, digits, '.', '_' or '-'");
        await deleter.DeleteAsync(tokens => tokens.Where(t => t.UserId != ""
            && (app == null || t.AppId == app)
            && (user == null || t.UserId == user)), ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> DeleteTokenById([FromQuery] string? id, TokenDeleter deleter, CancellationToken ct)
    {
        var tokenId = Arguments.Given(id) ?? throw VaultException.Missing("id is required");
        if (!RuleExtensions.IsValidId(tokenId)) throw VaultException.Invalid("id must be 1 to 100 letters, digits, '.', '_' or '-'");
        var deleted = await deleter.DeleteAsync(tokens => tokens.Where(t => t.Id == tokenId), ct);
        return deleted == 0 ? throw VaultException.NotFound($"No token with id '{tokenId}'") : TypedResults.Ok(EmptyResponse.Instance);
    }
}
