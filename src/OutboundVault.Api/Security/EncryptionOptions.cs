namespace OutboundVault.Security;

/// <summary>Section "Encryption": <c>Keys:0..n</c> as <c>keyId:base64(32 bytes)</c>, the first is primary.</summary>
sealed class EncryptionOptions : Hosting.ISettings
{
    public static string SectionName => "Encryption";
    public List<string> Keys { get; set; } = [];

    /// <summary>The key ring loader checks the keys themselves, naming the wrong one by position without printing it.</summary>
    public IEnumerable<string> Problems() => [];
}
