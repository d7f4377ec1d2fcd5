using OutboundVault.Errors;

namespace OutboundVault.Providers;

/// <summary>
/// A provider call failed. The message names the app, the operation and the provider's status or
/// error code; it never carries a token, code, verifier, secret or the raw response body.
/// </summary>
sealed class ProviderException : Exception
{
    public ProviderException()
    {
    }

    public ProviderException(string message)
        : base(message)
    {
    }

    public ProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProviderException(
        ProviderFailureKind kind, string message, string? providerError = null, int? statusCode = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ProviderError = providerError;
        StatusCode = statusCode;
    }

    public ProviderFailureKind Kind { get; }

    /// <summary>The OAuth "error" code from the provider's answer, when it sent a well-formed one.</summary>
    public string? ProviderError { get; }

    /// <summary>The HTTP status the provider answered with; null when no answer arrived.</summary>
    public int? StatusCode { get; }
}

static class ProviderExceptionTranslation
{
    /// <summary>
    /// The vault's answer to a provider failure while an operator or a connect is waiting: 400 when only the app's
    /// definition can fix it (a blocked address, a wrong URL, a refused registration), 502 otherwise.
    /// </summary>
    public static VaultException ToVaultException(this ProviderException exception) =>
        exception.Kind is ProviderFailureKind.Blocked or ProviderFailureKind.Configuration
            ? VaultException.Invalid(exception.Message)
            : new VaultException(VaultError.ProviderFailure, exception.Message);
}
