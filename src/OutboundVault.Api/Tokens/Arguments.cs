using OutboundVault.Validation;

namespace OutboundVault.Tokens;

/// <summary>What counts as "not given" across the SDK dialects.</summary>
static class Arguments
{
    /// <summary>
    /// A query argument: null for absent and empty values, and for node's literal <c>undefined</c>: node builds query strings
    /// from every argument, so <c>deleteUserTokens(undefined, 'u')</c> arrives as <c>?appId=undefined&amp;userId=u</c>.
    /// </summary>
    public static string? Given(string? value) =>
        string.IsNullOrEmpty(value) || value == "undefined" ? null : value;

    /// <summary>A whole-number query argument a validator has checked (<see cref="RuleExtensions.WholeNumber"/>), or <paramref name="fallback"/>.</summary>
    public static int Number(string? value, int fallback) =>
        value is null ? fallback : int.Parse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    public static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Scopes as sent, without the nulls and blanks some callers put in lists.</summary>
    public static List<string> Scopes(IEnumerable<string?>? scopes) =>
        scopes?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct(StringComparer.Ordinal).ToList() ?? [];
}
