using System.Net;
using System.Net.Sockets;

namespace OutboundVault.Testing;

/// <summary>Ports on 127.0.0.1 for the servers tests and benchmarks start as processes or Kestrel hosts (compiled into both).</summary>
static class Loopback
{
    /// <summary>A port nothing listens on right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
