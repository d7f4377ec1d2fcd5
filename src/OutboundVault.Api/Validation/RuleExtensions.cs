using System.Text.RegularExpressions;
using FluentValidation;
using OutboundVault.Apps;
using OutboundVault.Errors;

namespace OutboundVault.Validation;

/// <summary>Rules shared by every request: ids, URLs, enumerations and sizes, each naming the wire field.</summary>
static partial class RuleExtensions
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Missing values answer E011002 ("missing arguments"), the code the SDKs know for it.</summary>
    public static IRuleBuilderOptions<T, string?> NotEmptyArgument<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"{field} is required").WithErrorCode(VaultError.MissingArgument.Code);

    /// <summary>A whole-number query argument from <paramref name="min"/> to <paramref name="max"/>; absent takes the route's default.</summary>
    public static IRuleBuilderOptions<T, string?> WholeNumber<T>(this IRuleBuilder<T, string?> rule, string field, int min, int max) =>
        rule.Must(v => v is null || (int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max))
            .WithMessage($"{field} must be a whole number from {min} to {max}");

    public static IRuleBuilderOptions<T, string?> ValidId<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(v => v is null || v.Length == 0 || IsValidId(v))
            .WithMessage($"{field} must be 1 to 100 letters, digits, '.', '_' or '-'");

    /// <summary>A user or tenant id: free text from the caller's identity system, short and printable.</summary>
    public static bool IsValidOwnerId(string? v) => v is null || (v.Length <= AppLimits.OwnerIdLength && !HasControlCharacters(v));

    public static string OwnerIdRule(string field) => $"{field} must be at most {AppLimits.OwnerIdLength} characters, without control characters";

    public static bool HasControlCharacters(string v) => v.Any(char.IsControl);

    public static IRuleBuilderOptions<T, string?> OwnerId<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(IsValidOwnerId).WithMessage(OwnerIdRule(field));

    /// <summary>Names and other text shown to people: no control characters (they forge lines and break pages).</summary>
    public static IRuleBuilderOptions<T, string?> PrintableText<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(v => v is null || !HasControlCharacters(v)).WithMessage($"{field} must not contain control characters");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule, string field) =>
        rule.Must(v => string.IsNullOrWhiteSpace(v) || (v.Length <= AppLimits.UrlLength
                && Uri.TryCreate(v.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            .WithMessage($"{field} must be an absolute http(s) URL of at most {AppLimits.UrlLength} characters");

    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, string field, string[] allowed) =>
        rule.Must(v => string.IsNullOrWhiteSpace(v) || allowed.Contains(v.Trim()))
            .WithMessage($"{field} must be one of: {string.Join(", ", allowed)}");

    public static IRuleBuilderOptions<T, List<string>?> Scopes<T>(this IRuleBuilder<T, List<string>?> rule, string field) =>
        rule.Must(v => v is null || (v.Count <= AppLimits.MaxScopes && v.All(s => s is null || s.Length <= AppLimits.ScopeLength)))
            .WithMessage($"{field} may hold at most {AppLimits.MaxScopes} scopes of at most {AppLimits.ScopeLength} characters");

    public static IRuleBuilderOptions<T, List<UrlParamInput>?> UrlParams<T>(this IRuleBuilder<T, List<UrlParamInput>?> rule, string field) =>
        rule.Must(v => v is null || (v.Count <= AppLimits.MaxParams && v.All(p => p is not null
                && !string.IsNullOrWhiteSpace(p.EffectiveKey) && p.EffectiveKey.Length <= AppLimits.ParamLength
                && (p.Value?.Length ?? 0) <= AppLimits.ParamLength)))
            .WithMessage($"{field} may hold at most {AppLimits.MaxParams} entries, each with a non-empty key and values of at most {AppLimits.ParamLength} characters");
}
