namespace OutboundVault.Security;

/// <summary>
/// The project id and, when no key is configured, the hash of the generated management key. It lives in
/// the database so every instance accepts the same key; the plaintext is never stored.
/// </summary>
public sealed class ManagementKeyRecord
{
    public const string InitialId = "initial";
    public string Id { get; set; } = InitialId;
    public string ProjectId { get; set; } = "";
    public string? KeyHash { get; set; }
    public DateTime CreatedAt { get; set; }
}
