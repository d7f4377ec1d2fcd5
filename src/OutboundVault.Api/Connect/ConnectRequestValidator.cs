using FluentValidation;
using OutboundVault.Apps;
using OutboundVault.Validation;

namespace OutboundVault.Connect;

/// <summary>Shape rules for a connect body; who may connect whom is decided by <see cref="ConnectOwner"/>.</summary>
sealed class ConnectRequestValidator : AbstractValidator<ConnectRequest>
{
    public const int ExternalIdentifierLength = 1024;

    public ConnectRequestValidator()
    {
        RuleFor(r => r.EffectiveAppId).NotEmptyArgument("appId").ValidId("appId");
        RuleFor(r => r.UserId).OwnerId("userId");
        RuleFor(r => r.TenantId).OwnerId("tenantId");
        RuleFor(r => r.Options!.RedirectUrl).HttpUrl("options.redirectUrl").When(r => r.Options is not null);
        RuleFor(r => r.Options!.Scopes).Scopes("options.scopes").When(r => r.Options is not null);
        RuleFor(r => r.Options!.ExternalIdentifier)
            .Must(v => v is null || v.Length <= ExternalIdentifierLength)
            .WithMessage($"options.externalIdentifier must be at most {ExternalIdentifierLength} characters")
            .When(r => r.Options is not null);
    }
}
