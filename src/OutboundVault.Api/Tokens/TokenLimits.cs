namespace OutboundVault.Tokens;

/// <summary>Bounds for token fields beyond the shared app limits.</summary>
static class TokenLimits
{
    /// <summary>A batch is one transaction: bounded so one request cannot hold the database for long.</summary>
    public const int MaxBatch = 1000;
    public const int TokenTypeLength = 64;
    public const int ExternalIdentifierLength = 1024;
    /// <summary>9999-12-31T23:59:59Z; larger values are milliseconds sent by mistake, or garbage.</summary>
    public const long MaxExpiry = 253402300799;
}
