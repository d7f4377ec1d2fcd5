using FluentValidation;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>The rules for app fields, with messages that name the wire field.</summary>
sealed class AppRequestValidator : AbstractValidator<AppRequest>
{
    static readonly string[] AccessTypes = ["offline", "online"];
    static readonly string[] Prompts = ["none", "login", "consent", "select_account"];
    static readonly string[] Kinds = [AppTypes.OAuth, AppTypes.ApiKey];
    static readonly string[] AuthMethods = ["client_secret_post", "client_secret_basic", "none"];

    public AppRequestValidator()
    {
        RuleFor(a => a.Name).NotEmptyArgument("name").MaximumLength(AppLimits.NameLength).WithMessage($"name must be at most {AppLimits.NameLength} characters")
            .PrintableText("name");
        RuleFor(a => a.Id).ValidId("id").When(a => !string.IsNullOrEmpty(a.Id));
        RuleFor(a => a.Description).MaximumLength(AppLimits.DescriptionLength).WithMessage($"description must be at most {AppLimits.DescriptionLength} characters");
        RuleFor(a => a.ClientId).MaximumLength(AppLimits.ClientIdLength).WithMessage($"clientId must be at most {AppLimits.ClientIdLength} characters");
        RuleFor(a => a.ClientSecret).MaximumLength(AppLimits.SecretLength).WithMessage($"clientSecret must be at most {AppLimits.SecretLength} characters");
        RuleFor(a => a.Logo).MaximumLength(AppLimits.LogoLength).WithMessage($"logo must be at most {AppLimits.LogoLength} characters");
        RuleFor(a => a.DiscoveryUrl).HttpUrl("discoveryUrl");
        RuleFor(a => a.AuthorizationUrl).HttpUrl("authorizationUrl");
        RuleFor(a => a.TokenUrl).HttpUrl("tokenUrl");
        RuleFor(a => a.RevocationUrl).HttpUrl("revocationUrl");
        RuleFor(a => a.DefaultRedirectUrl).HttpUrl("defaultRedirectUrl");
        RuleFor(a => a.DcrUrl).HttpUrl("dcrUrl");
        RuleFor(a => a.UseDcr).Must((a, useDcr) => useDcr != true || !string.IsNullOrWhiteSpace(a.DcrUrl) || !string.IsNullOrWhiteSpace(a.DiscoveryUrl))
            .WithMessage("useDcr requires dcrUrl or discoveryUrl: the vault registers its client at dcrUrl, else at the registration_endpoint of the discovery document");
        RuleFor(a => a.CallbackDomain)
            .Must(d => d!.Length <= 253 && Uri.TryCreate($"https://{d}", UriKind.Absolute, out var uri)
                && string.Equals(uri.Authority, d, StringComparison.OrdinalIgnoreCase) && uri.HostNameType == UriHostNameType.Dns)
            .When(a => !string.IsNullOrWhiteSpace(a.CallbackDomain))
            .WithMessage("callbackDomain must be a host name such as auth.example.com");
        RuleFor(a => a.AccessType).OneOf("accessType", AccessTypes);
        RuleFor(a => a.AppType).OneOf("appType", Kinds);
        RuleFor(a => a.TokenEndpointAuthMethod).OneOf("tokenEndpointAuthMethod", AuthMethods);
        RuleForEach(a => a.Prompt).Must(p => p is not null && Prompts.Contains(p))
            .WithMessage($"prompt values must be one of: {string.Join(", ", Prompts)}");
        RuleFor(a => a.DefaultScopes).Scopes("defaultScopes");
        RuleFor(a => a.AuthorizationUrlParams).UrlParams("authorizationUrlParams");
        RuleFor(a => a.TokenUrlParams).UrlParams("tokenUrlParams");
    }
}

sealed class UpdateAppRequestValidator : AbstractValidator<UpdateAppRequest>
{
    public UpdateAppRequestValidator()
    {
        RuleFor(r => r.App).NotNull().When(r => string.IsNullOrEmpty(r.Id))
            .WithMessage("app is required (or, for a partial update, id and the fields to change)").WithErrorCode(VaultError.MissingArgument.Code);
        RuleFor(r => r.Id).ValidId("id").When(r => r.App is null && !string.IsNullOrEmpty(r.Id));
        RuleFor(r => r.App!.Id).NotEmptyArgument("app.id").When(r => r.App is not null);
        RuleFor(r => r.App!).SetValidator(new AppRequestValidator()).When(r => r.App is not null);
    }
}

sealed class AppIdRequestValidator : AbstractValidator<AppIdRequest>
{
    public AppIdRequestValidator() => RuleFor(r => r.Id).NotEmptyArgument("id").ValidId("id");
}
