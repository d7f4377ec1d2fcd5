namespace OutboundVault.Errors;

/// <summary>
/// The one exception a feature throws to answer with an error. Its message goes to the caller as
/// <c>errorMessage</c>, so it must never contain a secret.
/// </summary>
sealed class VaultException(VaultError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public VaultError Error { get; } = error;

    public static VaultException NotFound(string message) => new(VaultError.NotFound, message);
    public static VaultException Invalid(string message) => new(VaultError.InvalidRequest, message);
    public static VaultException Missing(string message) => new(VaultError.MissingArgument, message);
    public static VaultException Conflict(string message) => new(VaultError.Conflict, message);
}
