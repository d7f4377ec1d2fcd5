using FluentValidation;
using OutboundVault.Apps;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

sealed class UserTokenFetchValidator : AbstractValidator<UserTokenFetch>
{
    public UserTokenFetchValidator()
    {
        RuleFor(r => r.AppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.UserId).NotEmptyArgument("userId").OwnerId("userId");
        RuleFor(r => r.TenantId).OwnerId("tenantId");
        RuleFor(r => r.Scopes).FetchScopes();
    }
}

sealed class TenantTokenFetchValidator : AbstractValidator<TenantTokenFetch>
{
    public TenantTokenFetchValidator()
    {
        RuleFor(r => r.AppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.TenantId).NotEmptyArgument("tenantId").OwnerId("tenantId");
        RuleFor(r => r.Scopes).FetchScopes();
    }
}

sealed class UserApiKeyUploadValidator : AbstractValidator<UserApiKeyUpload>
{
    public UserApiKeyUploadValidator()
    {
        RuleFor(r => r.AppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.UserId).NotEmptyArgument("userId").OwnerId("userId");
        RuleFor(r => r.TenantId).OwnerId("tenantId");
        RuleFor(r => r.ApiKey).NotEmptyArgument("apiKey").Secret("apiKey");
    }
}

sealed class TenantApiKeyUploadValidator : AbstractValidator<TenantApiKeyUpload>
{
    public TenantApiKeyUploadValidator()
    {
        RuleFor(r => r.AppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.TenantId).NotEmptyArgument("tenantId").OwnerId("tenantId");
        RuleFor(r => r.ApiKey).NotEmptyArgument("apiKey").Secret("apiKey");
    }
}

/// <summary>The rules for one uploaded OAuth token, shared by single uploads and batch items.</summary>
class TokenUploadValidator<T> : AbstractValidator<T> where T : TokenUpload
{
    public TokenUploadValidator()
    {
        RuleFor(r => r.AppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.TenantId).OwnerId("tenantId");
        RuleFor(r => r).Must(r => !string.IsNullOrEmpty(r.AccessToken) || !string.IsNullOrEmpty(r.RefreshToken))
            .WithMessage("At least one of accessToken and refreshToken is required")
            .WithErrorCode(VaultError.MissingArgument.Code);
        RuleFor(r => r.AccessToken).Secret("accessToken");
        RuleFor(r => r.RefreshToken).Secret("refreshToken");
        RuleFor(r => r.AccessTokenExpiry).InclusiveBetween(0, TokenLimits.MaxExpiry)
            .WithMessage("accessTokenExpiry must be a time in epoch seconds (0 or absent for unknown)");
        RuleFor(r => r.AccessTokenType).MaximumLength(TokenLimits.TokenTypeLength)
            .WithMessage($"accessTokenType must be at most {TokenLimits.TokenTypeLength} characters");
        RuleFor(r => r.Scopes).FetchScopes();
        RuleFor(r => r.ExternalIdentifier).MaximumLength(TokenLimits.ExternalIdentifierLength)
            .WithMessage($"externalIdentifier must be at most {TokenLimits.ExternalIdentifierLength} characters");
        RuleFor(r => r.GrantedBy).OwnerId("grantedBy");
        RuleFor(r => r.IdToken).Must(t => t!.Length <= AppLimits.SecretLength && IdTokens.Subject(t) is not null)
            .When(r => !string.IsNullOrEmpty(r.IdToken))
            .WithMessage("idToken must be a JWT with a 'sub' claim");
    }
}

sealed class UserTokenUploadValidator : TokenUploadValidator<UserTokenUpload>
{
    public UserTokenUploadValidator(bool single)
    {
        RuleFor(r => r.UserId).NotEmptyArgument("userId").OwnerId("userId");
        this.VerifyRefreshRule(single);
    }
}

sealed class TenantTokenUploadValidator : TokenUploadValidator<TenantTokenUpload>
{
    public TenantTokenUploadValidator(bool single)
    {
        RuleFor(r => r.TenantId).NotEmptyArgument("tenantId");
        this.VerifyRefreshRule(single);
    }
}

sealed class UserTokenBatchValidator : AbstractValidator<UserTokenBatch>
{
    public UserTokenBatchValidator() => RuleFor(r => r.Tokens).Batch();
}

sealed class TenantTokenBatchValidator : AbstractValidator<TenantTokenBatch>
{
    public TenantTokenBatchValidator() => RuleFor(r => r.Tokens).Batch();
}

static class TokenRules
{
    public static IRuleBuilderOptions<T, List<string?>?> FetchScopes<T>(this IRuleBuilder<T, List<string?>?> rule) =>
        rule.Must(v => v is null || (v.Count <= AppLimits.MaxScopes && v.All(s => s is null || s.Length <= AppLimits.ScopeLength)))
            .WithMessage($"scopes may hold at most {AppLimits.MaxScopes} scopes of at most {AppLimits.ScopeLength} characters");

    public static IRuleBuilderOptions<T, string?> Secret<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(v => v is null || v.Length <= AppLimits.SecretLength)
            .WithMessage($"{field} must be at most {AppLimits.SecretLength} characters");

    public static IRuleBuilderOptions<T, List<TItem?>?> Batch<T, TItem>(this IRuleBuilder<T, List<TItem?>?> rule)
    {
        rule.NotNull().WithMessage("tokens is required").WithErrorCode(VaultError.MissingArgument.Code);
        return rule.Must(v => v is null || v.Count <= TokenLimits.MaxBatch)
            .WithMessage($"tokens may hold at most {TokenLimits.MaxBatch} items per request; split larger uploads");
    }

    /// <summary>verifyRefresh needs a refresh token to verify, and batch items cannot ask for it.</summary>
    public static void VerifyRefreshRule<T>(this AbstractValidator<T> validator, bool single) where T : TokenUpload
    {
        if (single)
        {
            validator.RuleFor(r => r.RefreshToken).NotEmptyArgument("refreshToken").When(r => r.VerifyRefresh == true)
                .WithMessage("verifyRefresh needs a refreshToken to verify");
        }
        else
        {
            validator.RuleFor(r => r.VerifyRefresh).Must(v => v != true)
                .WithMessage("verifyRefresh is not supported in batch uploads; upload the token on its own to verify it");
        }
    }
}
