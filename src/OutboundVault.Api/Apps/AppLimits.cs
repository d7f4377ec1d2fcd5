namespace OutboundVault.Apps;

/// <summary>Size bounds for app and token fields, shared by validation and the schema.</summary>
static class AppLimits
{
    public const int IdLength = 100;
    public const int NameLength = 200;
    public const int DescriptionLength = 2000;
    public const int UrlLength = 2048;
    public const int LogoLength = 16384;
    public const int OwnerIdLength = 256;
    public const int ScopeLength = 256;
    public const int MaxScopes = 100;
    public const int MaxParams = 50;
    public const int ParamLength = 1024;
    public const int ClientIdLength = 1024;
    public const int SecretLength = 16384;
    public const int MaxBodyBytes = 4 * 1024 * 1024;
}
