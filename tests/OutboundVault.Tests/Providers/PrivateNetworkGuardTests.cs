using System.Net;
using OutboundVault.Security;

namespace OutboundVault.Tests.Providers;

public class PrivateNetworkGuardTests
{
    [Theory]
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
    public void Private_loopback_link_local_and_special_addresses_are_private(string address) =>
        PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)).Should().BeTrue();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("172.32.0.1")]      // just past 172.16/12
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]     // just past 100.64/10
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_not_private(string address) =>
        PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)).Should().BeFalse();

    [Theory]
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
