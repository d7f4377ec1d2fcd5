namespace OutboundVault.Connect;

/// <summary>
/// A started authorization-code flow waiting for its callback. It lives in the database so the callback
/// may land on any instance, is keyed by a hash of the state (a leaked table cannot complete a flow),
/// expires after ten minutes and is consumed once.
/// </summary>
sealed class PendingConnection
{
    public string StateHash { get; set; } = "";
    public string AppId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string TenantId { get; set; } = "";
    public List<string> Scopes { get; set; } = [];
    /// <summary>Where the browser goes after the callback (validated against open redirects).</summary>
    public string? RedirectUrl { get; set; }
    /// <summary>The callback URI sent as redirect_uri; the code exchange must repeat it exactly.</summary>
    public string CallbackUri { get; set; } = "";
    public string? CodeVerifierCipher { get; set; }
    public string? ExternalIdentifier { get; set; }
    public string? GrantedBy { get; set; }
    /// <summary>
    /// Connect:BindToBrowser: null for an unbound connect; "" for a bound one whose start page was not opened yet;
    /// then the hash of the cookie the start page set, which the callback requires (README, "Binding a connect to the browser").
    /// </summary>
    public string? BrowserBinding { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
