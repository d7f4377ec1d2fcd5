namespace OutboundVault.Connect;

/// <summary>Section "Connect" (its "Jwt" subsection is <see cref="Security.UserJwtOptions"/>).</summary>
public sealed class ConnectOptions
{
    public const string SectionName = "Connect";

    /// <summary>A pending connection lives this long; the user must finish consenting within it.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Hosts a connect's <c>redirectUrl</c> may point at besides the host of the app's
    /// <c>defaultRedirectUrl</c>: exact host names, compared without case.
    /// </summary>
    public List<string> AllowedRedirectHosts { get; set; } = [];
}
