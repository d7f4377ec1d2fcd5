using System.Net;
using System.Net.Sockets;

namespace OutboundVault.Security;

/// <summary>
/// SSRF guard for provider calls: app definitions carry URLs chosen by API callers, so without it the
/// vault could be steered at loopback services, the private network or cloud metadata endpoints.
/// </summary>
public static class PrivateNetworkGuard
{
    /// <summary>True for addresses that must not be reached unless private targets are allowed.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPrivateIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPrivateIPv6(address),
            _ => true, // Unknown families are not provider addresses; refuse rather than guess.
        };
    }

    /// <summary>True when <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool TryParseHttpUrl(string? url, out Uri uri)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(parsed.Host))
        {
            uri = parsed;
            return true;
        }

        uri = null!;
        return false;
    }

    /// <summary>
    /// The handler for provider calls. The check runs in ConnectCallback, after DNS and before any
    /// socket opens, and the socket connects to exactly the vetted addresses, so a DNS answer that
    /// changes between check and connect (rebinding) cannot smuggle in a private address.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetworkTargets, TimeSpan connectTimeout) => new()
    {
        // A redirect would lead to a target the guard never saw, and token endpoints must not redirect.
        AllowAutoRedirect = false,
        // A proxy would make the guard vet the proxy's address instead of the provider's.
        UseProxy = false,
        // Cookies would leak between apps and users sharing this client.
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        // Recycle pooled connections so DNS changes at the provider are picked up (and re-vetted).
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) =>
            ConnectAsync(context.DnsEndPoint, allowPrivateNetworkTargets, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endPoint, bool allowPrivateNetworkTargets, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);

        if (!allowPrivateNetworkTargets && addresses.Any(IsPrivate))
        {
            throw new PrivateNetworkBlockedException(endPoint.Host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsPrivateIPv4(byte[] b) =>
        b[0] == 0              // 0.0.0.0/8 "this network", includes the unspecified address
        || b[0] == 10          // 10.0.0.0/8
        || b[0] == 127         // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)   // 100.64.0.0/10 carrier-grade NAT
        || (b[0] == 169 && b[1] == 254)           // link-local, includes 169.254.169.254 metadata
        || (b[0] == 172 && (b[1] & 0xF0) == 16)   // 172.16.0.0/12
        || (b[0] == 192 && b[1] == 168)           // 192.168.0.0/16
        || b[0] >= 224;        // multicast 224/4, reserved 240/4 and broadcast 255.255.255.255

    private static bool IsPrivateIPv6(IPAddress address) =>
        address.Equals(IPAddress.IPv6Any)
        || address.Equals(IPAddress.IPv6Loopback)
        || address.IsIPv6LinkLocal     // fe80::/10
        || address.IsIPv6SiteLocal     // fec0::/10, deprecated but still routable inside sites
        || address.IsIPv6UniqueLocal   // fc00::/7
        || address.IsIPv6Multicast;
}
