namespace OutboundVault.Audit;

/// <summary>One audited event: who did what to which app, owner and token, and how it ended. Never a secret.</summary>
sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTime Time { get; set; }
    /// <summary>A management key's id, <c>sub:&lt;subject&gt;</c> for an access token, <c>browser</c> for a hosted page or callback, <c>vault</c> or <c>command</c>.</summary>
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string? AppId { get; set; }
    public string? UserId { get; set; }
    public string? TenantId { get; set; }
    public string? TokenId { get; set; }
    /// <summary><c>ok</c>, or the Descope error code the caller got.</summary>
    public string Outcome { get; set; } = AuditOutcomes.Ok;
}

static class AuditActions
{
    public const string TokenRead = "token.read";
    public const string TokenStore = "token.store";
    public const string TokenDelete = "token.delete";
    public const string AppCreate = "app.create";
    public const string AppUpdate = "app.update";
    public const string AppDelete = "app.delete";
    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
    public const string Reencrypt = "reencrypt";
}

static class AuditOutcomes
{
    public const string Ok = "ok";
}
