using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>What counts as "not given" across the SDK dialects.</summary>
internal static class Arguments
{
    /// <summary>
    /// A query argument: null for absent and empty values, and for node's literal <c>undefined</c>: node builds query strings
    /// from every argument, so <c>deleteUserTokens(undefined, 'u')</c> arrives as <c>?appId=undefined&amp;userId=u</c>.
    /// </summary>
    public static string? Given(string? value) =>
        string.IsNullOrEmpty(value) || value == "undefined" ? null : value;

    /// <summary>A user or tenant id from the query: <see cref="Given"/>, refused unless it is a valid owner id.</summary>
    public static string? GivenOwnerId(string? value, string field) => Given(value) is { } id && !RuleExtensions.IsValidOwnerId(id)
        ? throw VaultException.Invalid(RuleExtensions.OwnerIdRule(field))
        : Given(value);

    /// <summary>A whole-number query argument from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int Number(string? value, string field, int min, int max, int fallback) => Given(value) is not { } text ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw VaultException.Invalid($"{field} must be a whole number from {min} to {max}");

    public static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Scopes as sent, without the nulls and blanks some callers put in lists.</summary>
    public static List<string> Scopes(IEnumerable<string?>? scopes) =>
        scopes?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct(StringComparer.Ordinal).ToList() ?? [];
}
