namespace OutboundVault.Webhooks;

/// <summary>Section "Webhooks": where events go, each endpoint with its Standard Webhooks secret.</summary>
sealed class WebhookOptions : Hosting.ISettings
{
    public static string SectionName => "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>How often each instance looks for messages due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Back-off after the first failed delivery; it doubles up to an hour.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed deliveries before a message is given up (about a day with the default back-off).</summary>
    public int MaxAttempts { get; set; } = 30;

    public IEnumerable<string> Problems()
    {
        for (var i = 0; i < Endpoints.Count; i++)
        {
            var endpoint = Endpoints[i];
            if (!Security.PrivateNetworkGuard.TryParseHttpUrl(endpoint.Url, out _))
                yield return $"Webhooks:Endpoints:{i}:Url must be an absolute http(s) URL.";
            if (!endpoint.Secret.StartsWith("whsec_", StringComparison.Ordinal) || !IsBase64(endpoint.Secret["whsec_".Length..]))
                yield return $"Webhooks:Endpoints:{i}:Secret must be whsec_ followed by base64.";
        }
        if (PollInterval <= TimeSpan.Zero || RetryAfter <= TimeSpan.Zero || MaxAttempts < 1)
            yield return "Webhooks:PollInterval and Webhooks:RetryAfter must be positive, Webhooks:MaxAttempts at least 1.";
    }

    static bool IsBase64(string text) => text.Length > 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}

sealed class WebhookEndpoint
{
    public string Url { get; set; } = "";
    /// <summary><c>whsec_&lt;base64&gt;</c>, as Standard Webhooks libraries generate it.</summary>
    public string Secret { get; set; } = "";

    internal byte[] SecretBytes => Convert.FromBase64String(Secret["whsec_".Length..]);
}
