using RadioGateway.Core.Outbox;

namespace RadioGateway.Core.Tests.Outbox;

public sealed class OutboxSignalTests
{
    [Fact]
    public async Task Notify_before_wait_completes_the_next_wait_at_once()
    {
        var signal = new OutboxSignal();

        signal.Notify();
        signal.Notify();

        await signal.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(signal.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Notify_wakes_a_pending_wait()
    {
        var signal = new OutboxSignal();
        var waiting = signal.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        signal.Notify();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_wait_abandoned_by_cancellation_does_not_swallow_the_next_notification()
    {
        var signal = new OutboxSignal();
        using var abandon = new CancellationTokenSource();
        var abandoned = signal.WaitAsync(abandon.Token);
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        signal.Notify();

        await signal.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
