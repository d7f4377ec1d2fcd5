using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace OutboundVault.Hosting;

/// <summary>
/// Applied to every log event in code, so no level or category override in configuration can undo it:
/// <list type="bullet">
/// <item>a request's query string never reaches a log: the OAuth callback's carries the authorization code and
/// state, the API-key page's the state (ASP.NET Core's hosting logs it at Information);</item>
/// <item>control characters in any text value are escaped, so a user id with CR/LF cannot forge a log line.</item>
/// </list>
/// </summary>
sealed class LogScrubber : ILogEventEnricher
{
    /// <summary>The properties ASP.NET Core's hosting and HTTP logging put the query in.</summary>
    static readonly string[] QueryProperties = ["QueryString", "Query"];
    const string HiddenQuery = "?(query not logged)";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is not ScalarValue { Value: string text }) continue;
            var scrubbed = QueryProperties.Contains(name) ? (text.Length == 0 ? text : HiddenQuery) : Escape(text);
            if (!ReferenceEquals(scrubbed, text)) (replacements ??= []).Add(new LogEventProperty(name, new ScalarValue(scrubbed)));
        }
        foreach (var property in replacements ?? []) logEvent.AddOrUpdateProperty(property);
    }

    /// <summary>The text itself when it has no control characters, else a copy with each one as <c>\uXXXX</c>.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c)) escaped.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else escaped.Append(c);
        }
        return escaped.ToString();
    }
}
