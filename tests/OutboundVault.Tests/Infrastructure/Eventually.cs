namespace OutboundVault.Tests.Infrastructure;

/// <summary>Waits for background work (workers, queues, log lines) with a bounded poll, then asserts.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because = "", int attempts = 400)
    {
        for (var i = 0; i < attempts && !condition(); i++) await Task.Delay(25);
        condition().Should().BeTrue(because);
    }
}
