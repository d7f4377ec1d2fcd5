using System.Collections.Concurrent;

namespace OutboundVault.FakeProvider;

/// <summary>Failures queued by tests, each consumed by exactly one token call (thread-safe).</summary>
sealed class FakeFailureQueue
{
    readonly ConcurrentQueue<FakeFailure> pending = new();

    public void Add(int count, FakeFailure failure)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            pending.Enqueue(failure);
        }
    }

    public bool TryTake(out FakeFailure failure) => pending.TryDequeue(out failure);
}
