using System.Net;
using System.Net.Sockets;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>Ports on 127.0.0.1 for the servers tests start as processes or Kestrel hosts.</summary>
public static class Loopback
{
    /// <summary>A port nothing listens on right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
