namespace RadioGateway.Core.Outbox;

/// <summary>
/// A coalescing wake-up signal: <see cref="Notify"/> wakes the pending <see cref="WaitAsync"/> or, if none,
/// the next one. A notification is never lost, even when a wait was abandoned by cancellation; the price is
/// that a woken waiter may be woken once more for the same notification (an extra, empty drain pass).
/// </summary>
public sealed class OutboxSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>Sets the signal and wakes a waiter.</summary>
    public void Notify()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _set = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Completes when the signal is (or becomes) set; resets it.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }
}
