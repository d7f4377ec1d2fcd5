namespace OutboundVault.Hosting;

/// <summary>
/// The one place where the vault answers a Descope SDK differently because of what it cannot read (README, "SDK
/// compatibility"). The SDKs name themselves in <c>x-descope-sdk-name</c>.
/// </summary>
static class SdkDialect
{
    public const string NameHeader = "x-descope-sdk-name";

    /// <summary>
    /// Java's SDK reads token times as <c>java.time.Instant</c> without the module that parses them: any value in
    /// <c>accessTokenExpiry</c> or <c>lastRefreshTime</c> makes it throw, so it gets them left out.
    /// </summary>
    public static bool OmitsTokenTimes(HttpRequest request) =>
        string.Equals(request.Headers[NameHeader].ToString().Trim(), "java", StringComparison.OrdinalIgnoreCase);
}
