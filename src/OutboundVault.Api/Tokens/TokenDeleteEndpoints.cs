using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>
/// Contract rows 11 and 12: a user's tokens by app and/or user, and one token by id. The arguments come in the query
/// (the contract) or in a JSON body; <c>/tokens</c> is the Java SDK's name for row 11 (README, "SDK compatibility").
/// </summary>
internal static class TokenDeleteEndpoints
{
    public static RouteGroupBuilder MapTokenDeletes(this RouteGroupBuilder outbound)
    {
        const string userTokensSummary =
            "Delete user tokens by appId and/or userId (tenant-scoped user tokens included, tenant-level tokens not); {} even when none matched";
        outbound.MapDelete("/user/tokens", DeleteUserTokens).ProducesValidationError()
            .WithName("DeleteUserTokens").WithSummary(userTokensSummary);
        outbound.MapDelete("/tokens", DeleteUserTokens).ProducesValidationError()
            .WithName("DeleteUserTokensJava").WithSummary(userTokensSummary + " (the Java SDK's route)");
        outbound.MapDelete("/token", DeleteTokenById).ProducesValidationError().Produces<DescopeError>(StatusCodes.Status404NotFound)
            .WithName("DeleteTokenById")
            .WithSummary("Delete one token (user or tenant) by id; 404 when no token has that id");
        return outbound;
    }

    static async Task<Ok<EmptyResponse>> DeleteUserTokens(
        [FromQuery] string? appId, [FromQuery] string? userId, [FromBody] UserTokensDelete? body, TokenDeleter deleter, CancellationToken ct)
    {
        var (app, user) = (Arguments.Given(appId) ?? Arguments.Given(body?.AppId), Arguments.GivenOwnerId(userId, "userId") ?? Arguments.GivenOwnerId(body?.UserId, "userId"));
        if (app is null && user is null) throw VaultException.Missing("appId or userId is required (both may be given)");
        if (app is not null && !RuleExtensions.IsValidId(app)) throw VaultException.Invalid("appId must be 1 to 100 letters, digits, '.', '_' or '-'");
        await deleter.DeleteAsync(tokens => tokens.Where(t => t.UserId != ""
            && (app == null || t.AppId == app)
            && (user == null || t.UserId == user)), ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> DeleteTokenById(
        [FromQuery] string? id, [FromBody] TokenDelete? body, TokenDeleter deleter, CancellationToken ct)
    {
        var tokenId = Arguments.Given(id) ?? Arguments.Given(body?.Id) ?? throw VaultException.Missing("id is required");
        if (!RuleExtensions.IsValidId(tokenId)) throw VaultException.Invalid("id must be 1 to 100 letters, digits, '.', '_' or '-'");
        var deleted = await deleter.DeleteAsync(tokens => tokens.Where(t => t.Id == tokenId), ct);
        return deleted == 0 ? throw VaultException.NotFound($"No token with id '{tokenId}'") : TypedResults.Ok(EmptyResponse.Instance);
    }
}

/// <summary>Row 11's arguments sent as a JSON body instead of the query.</summary>
public sealed record UserTokensDelete(string? AppId, string? UserId);

/// <summary>Row 12's argument sent as a JSON body instead of the query.</summary>
public sealed record TokenDelete(string? Id);
