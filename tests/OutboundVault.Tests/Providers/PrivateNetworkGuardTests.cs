using System.Net;
using OutboundVault.Security;

namespace OutboundVault.Tests.Providers;

public class PrivateNetworkGuardTests
{
    [SkippableTheory]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("100.64.0.1")]      // carrier-grade NAT
    [InlineData("fd00::1")]         // unique local
    [InlineData("fe80::1")]         // link-local
    [InlineData("::ffff:10.0.0.1")] // IPv4-mapped private
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]       // multicast
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")] // broadcast
    [InlineData("::127.0.0.1")]            // IPv4-compatible
    [InlineData("::a9fe:a9fe")]            // IPv4-compatible metadata address
    [InlineData("::ffff:0:10.0.0.1")]      // IPv4-translated
    [InlineData("64:ff9b::a9fe:a9fe")]     // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::7f00:1")]        // NAT64 of 127.0.0.1
    [InlineData("64:ff9b:1::808:808")]     // local-use NAT64
    [InlineData("2002:7f00:1::")]          // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")]       // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")] // Teredo, client 127.0.0.1
    public void Private_loopback_link_local_and_special_addresses_are_private(string address) =>
        PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)).Should().BeTrue();

    [SkippableTheory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("172.32.0.1")]      // just past 172.16/12
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]     // just past 100.64/10
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]       // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]        // 6to4 of 8.8.8.8
    public void Public_addresses_are_not_private(string address) =>
        PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)).Should().BeFalse();

    [SkippableTheory]
    [InlineData("https://provider.example/token", true)]
    [InlineData("http://127.0.0.1:8080/token", true)]
    [InlineData("ftp://provider.example/token", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("/token", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_absolute_http_and_https_urls_are_accepted(string? url, bool accepted) =>
        PrivateNetworkGuard.TryParseHttpUrl(url, out _).Should().Be(accepted);
}
