namespace OutboundVault.Connect;

/// <summary>Section "Connect" (its "Jwt" subsection is <see cref="Security.UserJwtOptions"/>).</summary>
sealed class ConnectOptions : Hosting.ISettings
{
    public static string SectionName => "Connect";

    /// <summary>A pending connection lives this long; the user must finish consenting within it.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where a connect's <c>redirectUrl</c> may point besides the origin of the app's <c>defaultRedirectUrl</c>:
    /// full origins matched exactly, or bare hosts (https on any port; http too for loopback hosts).
    /// </summary>
    public List<string> AllowedRedirectHosts { get; set; } = [];

    /// <summary>
    /// Bind each OAuth connect to the browser that opens its link (<see cref="BrowserBinding"/>): the connect answers
    /// the vault's start page, which sets a cookie the callback requires. Off by default: the contract's clients
    /// expect the provider's URL. Recommended behind TLS.
    /// </summary>
    public bool BindToBrowser { get; set; }

    public IEnumerable<string> Problems()
    {
        if (AllowedRedirectHosts.Any(string.IsNullOrWhiteSpace)) yield return "Connect:AllowedRedirectHosts must not contain empty entries.";
    }
}
