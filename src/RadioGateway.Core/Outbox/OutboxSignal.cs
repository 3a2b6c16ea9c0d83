namespace RadioGateway.Core.Outbox;

/// <summary>An auto-reset signal: <see cref="Notify"/> wakes one pending (or the next) <see cref="WaitAsync"/>; repeated notifications coalesce.</summary>
public sealed class OutboxSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>Marks the signal set and wakes a waiter.</summary>
    public void Notify()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Completes when the signal is (or becomes) set, and resets it.</summary>
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
