using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>docs/contract.md rows 14–19: API keys and OAuth tokens uploaded (migrated) by a backend.</summary>
static class TokenUploadEndpoints
{
    static readonly UserTokenUploadValidator UserItems = new(single: false);
    static readonly TenantTokenUploadValidator TenantItems = new(single: false);

    public static RouteGroupBuilder MapTokenUploads(this RouteGroupBuilder outbound)
    {
        outbound.MapPost("/app/user/apikey/upload", UploadUserApiKey).Validate<UserApiKeyUpload>().ProducesUploadErrors()
            .WithName("UploadUserApiKey").WithSummary("Store a user's API key for an API-key app (replaces the user's previous key)");
        outbound.MapPost("/app/tenant/apikey/upload", UploadTenantApiKey).Validate<TenantApiKeyUpload>().ProducesUploadErrors()
            .WithName("UploadTenantApiKey").WithSummary("Store a tenant's API key for an API-key app (replaces the tenant's previous key)");
        outbound.MapPost("/app/user/oauthtoken/upload", UploadUserToken).Validate<UserTokenUpload>().ProducesUploadErrors()
            .WithName("UploadUserToken")
            .WithSummary("Store a user's OAuth token; verifyRefresh refreshes it at the provider first and stores nothing if that fails");
        outbound.MapPost("/app/tenant/oauthtoken/upload", UploadTenantToken).Validate<TenantTokenUpload>().ProducesUploadErrors()
            .WithName("UploadTenantToken")
            .WithSummary("Store a tenant's OAuth token; verifyRefresh refreshes it at the provider first and stores nothing if that fails");
        outbound.MapPost("/app/user/oauthtoken/batch/upload", BatchUploadUserTokens).Validate<UserTokenBatch>()
            .WithName("BatchUploadUserTokens")
            .WithSummary($"Store up to {TokenLimits.MaxBatch} user OAuth tokens, all or nothing: any failure stores none and lists every failing item");
        outbound.MapPost("/app/tenant/oauthtoken/batch/upload", BatchUploadTenantTokens).Validate<TenantTokenBatch>()
            .WithName("BatchUploadTenantTokens")
            .WithSummary($"Store up to {TokenLimits.MaxBatch} tenant OAuth tokens, all or nothing: any failure stores none and lists every failing item");
        return outbound;
    }

    static async Task<Ok<EmptyResponse>> UploadUserApiKey(UserApiKeyUpload request, TokenUploader uploader, CancellationToken ct)
    {
        await uploader.UploadApiKeyAsync(request, ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> UploadTenantApiKey(TenantApiKeyUpload request, TokenUploader uploader, CancellationToken ct)
    {
        await uploader.UploadApiKeyAsync(request, ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> UploadUserToken(UserTokenUpload request, TokenUploader uploader, CancellationToken ct)
    {
        await uploader.UploadTokenAsync(request, ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<EmptyResponse>> UploadTenantToken(TenantTokenUpload request, TokenUploader uploader, CancellationToken ct)
    {
        await uploader.UploadTokenAsync(request, ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }

    static async Task<Ok<BatchUploadResponse>> BatchUploadUserTokens(UserTokenBatch request, TokenUploader uploader, CancellationToken ct) =>
        TypedResults.Ok(new BatchUploadResponse(await uploader.UploadBatchAsync(request.Tokens!, UserItems, ct)));

    static async Task<Ok<BatchUploadResponse>> BatchUploadTenantTokens(TenantTokenBatch request, TokenUploader uploader, CancellationToken ct) =>
        TypedResults.Ok(new BatchUploadResponse(await uploader.UploadBatchAsync(request.Tokens!, TenantItems, ct)));

    /// <summary>404 for an unknown app; 400 also for the wrong kind of app; 501/502 when verifyRefresh cannot verify.</summary>
    static RouteHandlerBuilder ProducesUploadErrors(this RouteHandlerBuilder builder) => builder
        .Produces<DescopeError>(StatusCodes.Status404NotFound)
        .Produces<DescopeError>(StatusCodes.Status502BadGateway);
}
