using System.Net;
using System.Net.Sockets;

namespace OutboundVault.Security;

/// <summary>
/// SSRF guard for provider calls: app definitions carry URLs chosen by API callers, so without it the
/// vault could be steered at loopback services, the private network or cloud metadata endpoints.
/// </summary>
static class PrivateNetworkGuard
{
    /// <summary>True for addresses that must not be reached unless private targets are allowed.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPrivateIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => EmbeddedIPv4(address.GetAddressBytes()) is { } v4 ? IsPrivateIPv4(v4) : IsPrivateIPv6(address),
            _ => true, // Unknown families are not provider addresses; refuse rather than guess.
        };
    }

    /// <summary>
    /// The IPv4 address an IPv6 form carries, which is where a packet to it ends up: mapped <c>::ffff:0:0/96</c>,
    /// compatible <c>::/96</c> (also <c>::</c> and <c>::1</c>, as 0.0.0.0 and 0.0.0.1), translated
    /// <c>::ffff:0:0:0/96</c>, NAT64 <c>64:ff9b::/96</c> and the local-use <c>64:ff9b:1::/48</c>, 6to4 <c>2002::/16</c>,
    /// and Teredo <c>2001::/32</c> (its client address, stored inverted).
    /// </summary>
    static byte[]? EmbeddedIPv4(byte[] b)
    {
        static bool Zero(byte[] bytes, int from, int to) => bytes.AsSpan(from, to - from).IndexOfAnyExcept((byte)0) < 0;
        static byte[] Last4(byte[] bytes) => bytes[12..];

        if (Zero(b, 0, 10) && b[10] == 0xff && b[11] == 0xff) return Last4(b);                           // ::ffff:a.b.c.d
        if (Zero(b, 0, 12)) return Last4(b);                                                              // ::a.b.c.d
        if (Zero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && Zero(b, 10, 12)) return Last4(b);            // ::ffff:0:a.b.c.d
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)                                 // 64:ff9b::/96, 64:ff9b:1::/48
            return Zero(b, 4, 12) ? Last4(b) : b[4] == 0 && b[5] == 1 ? [0, 0, 0, 0] : null;
        if (b[0] == 0x20 && b[1] == 0x02) return b[2..6];                                                // 2002:a.b.c.d::/48
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) return [.. b[12..].Select(x => (byte)~x)]; // Teredo client
        return null;
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
        ConnectCallback = (context, ct) =>
            ConnectAsync(context.DnsEndPoint, allowPrivateNetworkTargets, ct),
    };

    static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endPoint, bool allowPrivateNetworkTargets, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, ct);

        if (!allowPrivateNetworkTargets && addresses.Any(IsPrivate))
        {
            throw new PrivateNetworkBlockedException(endPoint.Host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static bool IsPrivateIPv4(byte[] b) =>
        b[0] == 0              // 0.0.0.0/8 "this network", includes the unspecified address
        || b[0] == 10          // 10.0.0.0/8
        || b[0] == 127         // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)   // 100.64.0.0/10 carrier-grade NAT
        || (b[0] == 169 && b[1] == 254)           // link-local, includes 169.254.169.254 metadata
        || (b[0] == 172 && (b[1] & 0xF0) == 16)   // 172.16.0.0/12
        || (b[0] == 192 && b[1] == 168)           // 192.168.0.0/16
        || b[0] >= 224;        // multicast 224/4, reserved 240/4 and broadcast 255.255.255.255

    static bool IsPrivateIPv6(IPAddress address) =>
        address.Equals(IPAddress.IPv6Any)
        || address.Equals(IPAddress.IPv6Loopback)
        || address.IsIPv6LinkLocal     // fe80::/10
        || address.IsIPv6SiteLocal     // fec0::/10, deprecated but still routable inside sites
        || address.IsIPv6UniqueLocal   // fc00::/7
        || address.IsIPv6Multicast;
}
