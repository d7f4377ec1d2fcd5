namespace OutboundVault.Webhooks;

/// <summary>
/// One event for one endpoint, in the outbox: written in the same transaction as the change it reports, then
/// delivered at least once by <see cref="WebhookDelivery"/> on whichever instance claims it first.
/// </summary>
sealed class WebhookMessage : Data.ILeased
{
    /// <summary>The Standard Webhooks <c>webhook-id</c>: the same on every retry, so receivers can drop repeats.</summary>
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>The JSON body, ids only (never a token).</summary>
    public string Payload { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>Set when the message was given up after <see cref="WebhookOptions.MaxAttempts"/>.</summary>
    public DateTime? AbandonedAt { get; set; }
    public string? LastError { get; set; }
}

static class WebhookEvents
{
    public const string ConnectionCreated = "connection.created";
    public const string ConnectionFailed = "connection.failed";
    public const string RefreshFailed = "token.refresh_failed";
    public const string NeedsReconnect = "token.needs_reconnect";
    public const string TokenDeleted = "token.deleted";
    public const string AppDeleted = "app.deleted";
}
