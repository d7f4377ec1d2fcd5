using FluentValidation;
using OutboundVault.Security;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>
/// The tokens held for users and tenants (docs/contract.md rows 7–19): fetched by management keys, fetch keys and
/// the callers' own access tokens; uploaded, listed and deleted by admin keys.
/// </summary>
static class TokensModule
{
    public static IServiceCollection AddTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<TokenStore>().AddScoped<TokenFetcher>().AddScoped<TokenUploader>().AddScoped<TokenDeleter>();
        services.AddValidator<UserTokenFetch, UserTokenFetchValidator>()
            .AddValidator<TenantTokenFetch, TenantTokenFetchValidator>()
            .AddValidator<UserApiKeyUpload, UserApiKeyUploadValidator>()
            .AddValidator<TenantApiKeyUpload, TenantApiKeyUploadValidator>()
            .AddValidator<UserTokenBatch, UserTokenBatchValidator>()
            .AddValidator<TenantTokenBatch, TenantTokenBatchValidator>()
            .AddValidator<ConnectedAppsQuery, ConnectedAppsQueryValidator>()
            .AddValidator<AppTokensQuery, AppTokensQueryValidator>()
            .AddValidator<UserTokensDeleteArguments, UserTokensDeleteArgumentsValidator>()
            .AddValidator<TokenDeleteArguments, TokenDeleteArgumentsValidator>();
        // Single uploads may ask for verifyRefresh; batch items (validated inside the batch) may not.
        services.AddSingleton<IValidator<UserTokenUpload>>(new UserTokenUploadValidator(single: true));
        services.AddSingleton<IValidator<TenantTokenUpload>>(new TenantTokenUploadValidator(single: true));
        return services;
    }

    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder routes)
    {
        var outbound = routes.MapGroup("/v1/mgmt/outbound").WithTags("Tokens");
        outbound.MapGroup("").RequireAuthorization(VaultAccess.Fetch).MapTokenFetch();
        outbound.MapGroup("").RequireAuthorization(VaultAccess.Lookup).MapConnectedApps();
        outbound.MapGroup("").RequireAuthorization(VaultAccess.Admin).MapTokenUploads().MapTokenDeletes().MapTokenLists();
        return routes;
    }
}
