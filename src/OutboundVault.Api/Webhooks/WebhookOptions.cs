using Microsoft.Extensions.Options;

namespace OutboundVault.Webhooks;

/// <summary>Section "Webhooks": where events go, each endpoint with its Standard Webhooks secret.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>How often each instance looks for messages due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Back-off after the first failed delivery; it doubles up to an hour.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed deliveries before a message is given up (about a day with the default back-off).</summary>
    public int MaxAttempts { get; set; } = 30;
}

public sealed class WebhookEndpoint
{
    public string Url { get; set; } = "";
    /// <summary><c>whsec_&lt;base64&gt;</c>, as Standard Webhooks libraries generate it.</summary>
    public string Secret { get; set; } = "";

    internal byte[] SecretBytes => Convert.FromBase64String(Secret["whsec_".Length..]);
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions o)
    {
        var failures = new List<string>();
        for (var i = 0; i < o.Endpoints.Count; i++)
        {
            var endpoint = o.Endpoints[i];
            if (!Security.PrivateNetworkGuard.TryParseHttpUrl(endpoint.Url, out _))
                failures.Add($"Webhooks:Endpoints:{i}:Url must be an absolute http(s) URL");
            if (!endpoint.Secret.StartsWith("whsec_", StringComparison.Ordinal) || !IsBase64(endpoint.Secret["whsec_".Length..]))
                failures.Add($"Webhooks:Endpoints:{i}:Secret must be whsec_ followed by base64");
        }
        if (o.PollInterval <= TimeSpan.Zero || o.RetryAfter <= TimeSpan.Zero || o.MaxAttempts < 1)
            failures.Add("Webhooks:PollInterval and Webhooks:RetryAfter must be positive, Webhooks:MaxAttempts at least 1");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static bool IsBase64(string text) => text.Length > 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
