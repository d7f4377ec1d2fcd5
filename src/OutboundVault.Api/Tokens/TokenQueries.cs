using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

// Arguments of the token routes that come in the query (and for deletes, alternatively in a JSON body). Each record
// is bound with [AsParameters] and checked by the same validation filter as request bodies. The Given* properties
// apply Arguments.Given: absent, empty and node's literal "undefined" all mean not given.

/// <summary>Row 13: <c>?userId=&amp;tenantId=</c>.</summary>
sealed record ConnectedAppsQuery([FromQuery(Name = "userId")] string? UserId, [FromQuery(Name = "tenantId")] string? TenantId)
{
    public string? GivenUserId => Arguments.Given(UserId);
    public string? GivenTenantId => Arguments.Given(TenantId);
}

sealed class ConnectedAppsQueryValidator : AbstractValidator<ConnectedAppsQuery>
{
    public ConnectedAppsQueryValidator()
    {
        RuleFor(q => q.GivenUserId).NotEmptyArgument("userId").OwnerId("userId");
        RuleFor(q => q.GivenTenantId).OwnerId("tenantId");
    }
}

/// <summary>The token management view: <c>/app/{appId}/tokens?userId=&amp;tenantId=&amp;page=&amp;pageSize=</c>.</summary>
sealed record AppTokensQuery(
    string AppId, [FromQuery(Name = "userId")] string? UserId, [FromQuery(Name = "tenantId")] string? TenantId, [FromQuery(Name = "page")] string? Page, [FromQuery(Name = "pageSize")] string? PageSize)
{
    public const int DefaultPageSize = 50, MaxPageSize = 500;

    public string? GivenUserId => Arguments.Given(UserId);
    public string? GivenTenantId => Arguments.Given(TenantId);
    public int PageNumber => Arguments.Number(Arguments.Given(Page), 0);
    public int Size => Arguments.Number(Arguments.Given(PageSize), DefaultPageSize);
}

sealed class AppTokensQueryValidator : AbstractValidator<AppTokensQuery>
{
    public AppTokensQueryValidator()
    {
        RuleFor(q => q.GivenUserId).OwnerId("userId");
        RuleFor(q => q.GivenTenantId).OwnerId("tenantId");
        RuleFor(q => Arguments.Given(q.Page)).WholeNumber("page", 0, int.MaxValue / AppTokensQuery.MaxPageSize);
        RuleFor(q => Arguments.Given(q.PageSize)).WholeNumber("pageSize", 1, AppTokensQuery.MaxPageSize);
    }
}

/// <summary>Row 11: <c>?appId=&amp;userId=</c>, or the same in a JSON body.</summary>
sealed record UserTokensDeleteArguments([FromQuery(Name = "appId")] string? AppId, [FromQuery(Name = "userId")] string? UserId, [FromBody] UserTokensDelete? Body)
{
    public string? GivenAppId => Arguments.Given(AppId) ?? Arguments.Given(Body?.AppId);
    public string? GivenUserId => Arguments.Given(UserId) ?? Arguments.Given(Body?.UserId);
}

sealed class UserTokensDeleteArgumentsValidator : AbstractValidator<UserTokensDeleteArguments>
{
    public UserTokensDeleteArgumentsValidator()
    {
        RuleFor(a => a.GivenAppId ?? a.GivenUserId).NotEmptyArgument("appId or userId").WithMessage("appId or userId is required (both may be given)");
        RuleFor(a => a.GivenAppId).ValidId("appId");
        RuleFor(a => a.GivenUserId).OwnerId("userId");
    }
}

/// <summary>Row 12: <c>?id=</c>, or the same in a JSON body.</summary>
sealed record TokenDeleteArguments([FromQuery(Name = "id")] string? Id, [FromBody] TokenDelete? Body)
{
    public string? GivenId => Arguments.Given(Id) ?? Arguments.Given(Body?.Id);
}

sealed class TokenDeleteArgumentsValidator : AbstractValidator<TokenDeleteArguments>
{
    public TokenDeleteArgumentsValidator() => RuleFor(a => a.GivenId).NotEmptyArgument("id").ValidId("id");
}
