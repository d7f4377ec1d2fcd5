namespace OutboundVault.Security;

/// <summary>Section "Management": the project id callers put before their key, and the accepted keys.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";
    public string? ProjectId { get; set; }
    public List<string> Keys { get; set; } = [];
}
