using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>Token routes of the contract (rows 7–19; the fetch routes are mapped apart, they take access tokens too) and the token management view.</summary>
public static class TokenEndpoints
{
    public static IServiceCollection AddTokenVault(this IServiceCollection services)
    {
        services.AddScoped<TokenStore>().AddScoped<TokenFetcher>().AddScoped<TokenUploader>().AddScoped<TokenDeleter>();
        services.AddValidator<UserTokenFetch, UserTokenFetchValidator>()
            .AddValidator<TenantTokenFetch, TenantTokenFetchValidator>()
            .AddValidator<UserApiKeyUpload, UserApiKeyUploadValidator>()
            .AddValidator<TenantApiKeyUpload, TenantApiKeyUploadValidator>()
            .AddValidator<UserTokenBatch, UserTokenBatchValidator>()
            .AddValidator<TenantTokenBatch, TenantTokenBatchValidator>();
        // Single uploads may ask for verifyRefresh; batch items (validated inside the batch) may not.
        services.AddSingleton<FluentValidation.IValidator<UserTokenUpload>>(new UserTokenUploadValidator(single: true));
        services.AddSingleton<FluentValidation.IValidator<TenantTokenUpload>>(new TenantTokenUploadValidator(single: true));
        return services;
    }

    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder outbound) => outbound
        .MapTokenUploads()
        .MapTokenDeletes()
        .MapTokenLists();
}
