namespace OutboundVault.Errors;

/// <summary>
/// Every error the vault answers with, in one place. The first four codes are Descope's own (the SDKs
/// know them); the E0814xx/E0815xx codes are this product's, listed in README, and reused by every feature.
/// No error here answers 503: the Go, Python and .NET SDKs retry 503 for about ten seconds.
/// </summary>
sealed record VaultError(string Code, int Status, string Description)
{
    public static readonly VaultError BadRequest = new("E011001", 400, "Bad request");
    public static readonly VaultError MissingArgument = new("E011002", 400, "Missing arguments");
    public static readonly VaultError InvalidRequest = new("E011003", 400, "Request is invalid");
    public static readonly VaultError InvalidArgument = new("E011004", 400, "Invalid argument");
    public static readonly VaultError Unauthorized = new("E081401", 401, "Unauthorized");
    public static readonly VaultError Forbidden = new("E081403", 403, "Forbidden");
    public static readonly VaultError NotFound = new("E081404", 404, "Not found");
    public static readonly VaultError MethodNotAllowed = new("E081405", 405, "Method not allowed");
    public static readonly VaultError Conflict = new("E081409", 409, "Already exists");
    public static readonly VaultError ReconnectRequired = new("E081410", 404, "Reconnect required");
    public static readonly VaultError PayloadTooLarge = new("E081413", 413, "Request body too large");
    /// <summary>Descope's own code: the go and Java SDKs read Retry-After when they see it.</summary>
    public static readonly VaultError RateLimited = new("E130429", 429, "Rate limit exceeded");
    public static readonly VaultError Internal = new("E081500", 500, "Internal error");
    public static readonly VaultError NotConfigured = new("E081501", 501, "Not configured");
    public static readonly VaultError ProviderFailure = new("E081502", 502, "Provider failure");
    public static readonly VaultError SecretUnreadable = new("E081520", 500, "Stored secret cannot be decrypted");

    /// <summary>All errors, for the README table and the test that keeps it true.</summary>
    public static IReadOnlyList<VaultError> All { get; } =
    [
        BadRequest, MissingArgument, InvalidRequest, InvalidArgument, Unauthorized, Forbidden, NotFound,
        MethodNotAllowed, Conflict, ReconnectRequired, PayloadTooLarge, RateLimited, Internal, NotConfigured,
        ProviderFailure, SecretUnreadable,
    ];

    public static VaultError ForStatus(int status) =>
        All.FirstOrDefault(e => e.Status == status && e.Code.StartsWith("E081", StringComparison.Ordinal))
        ?? (status < 500 ? BadRequest : Internal);
}
