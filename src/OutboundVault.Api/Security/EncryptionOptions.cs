namespace OutboundVault.Security;

/// <summary>Section "Encryption": <c>Keys:0..n</c> as <c>keyId:base64(32 bytes)</c>, the first is primary.</summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";
    public List<string> Keys { get; set; } = [];
}
