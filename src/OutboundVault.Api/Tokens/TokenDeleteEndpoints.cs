using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>
/// docs/contract.md rows 11 and 12: a user's tokens by app and/or user, and one token by id. The arguments come in the query
/// (as the SDKs send them) or in a JSON body; <c>/tokens</c> is the Java SDK's name for row 11 (README, "SDK compatibility").
/// </summary>
static class TokenDeleteEndpoints
{
    public static RouteGroupBuilder MapTokenDeletes(this RouteGroupBuilder outbound)
    {
        const string userTokensSummary =
            "Delete user tokens by appId and/or userId (tenant-scoped user tokens included, tenant-level tokens not); {} even when none matched";
        outbound.MapDelete("/user/tokens", DeleteUserTokens).Validate<UserTokensDeleteArguments>()
            .WithName("DeleteUserTokens").WithSummary(userTokensSummary);
        outbound.MapDelete("/tokens", DeleteUserTokens).Validate<UserTokensDeleteArguments>()
            .WithName("DeleteUserTokensJava").WithSummary(userTokensSummary + " (the Java SDK's route)");
        outbound.MapDelete("/token", DeleteTokenById).Validate<TokenDeleteArguments>().Produces<DescopeError>(StatusCodes.Status404NotFound)
            .WithName("DeleteTokenById")
            .WithSummary("Delete one token (user or tenant) by id; 404 when no token has that id");
        return outbound;
    }

    static async Task<Ok<EmptyResponse>> DeleteUserTokens(
        [AsParameters] UserTokensDeleteArguments arguments, TokenDeleter deleter, CancellationToken ct)
    {
        var (app, user) = (arguments.GivenAppId, arguments.GivenUserId);
        await deleter.DeleteAsync(tokens => tokens.Where(t => t.UserId != ""
            && (app == null || t.AppId == app)
            && (user == null || t.UserId == user)), ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> DeleteTokenById(
        [AsParameters] TokenDeleteArguments arguments, TokenDeleter deleter, CancellationToken ct)
    {
        var tokenId = arguments.GivenId!;
        var deleted = await deleter.DeleteAsync(tokens => tokens.Where(t => t.Id == tokenId), ct);
        return deleted == 0 ? throw VaultException.NotFound($"No token with id '{tokenId}'") : TypedResults.Ok(EmptyResponse.Instance);
    }
}

/// <summary>Row 11's arguments sent as a JSON body instead of the query.</summary>
sealed record UserTokensDelete(string? AppId, string? UserId);

/// <summary>Row 12's argument sent as a JSON body instead of the query.</summary>
sealed record TokenDelete(string? Id);
