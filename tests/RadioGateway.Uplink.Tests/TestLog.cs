using Microsoft.Extensions.Logging;

namespace RadioGateway.Uplink.Tests;

/// <summary>A logger whose lines a test can await; warnings and above are what a person at the gateway would read.</summary>
public sealed class TestLog : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiting = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>Lines at warning level or above.</summary>
    public IReadOnlyList<string> Warnings => Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message).ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        lock (_gate)
        {
            _lines.Add((logLevel, message));
            foreach (var waiter in _waiting.Where(w => w.Match(message)).ToList())
            {
                waiter.Seen.TrySetResult(message);
                _waiting.Remove(waiter);
            }
        }
    }

    /// <summary>The first line (already logged or still to come) that contains <paramref name="text"/>.</summary>
    public Task<string> WaitForAsync(string text, TimeSpan patience)
    {
        bool Match(string line) => line.Contains(text, StringComparison.Ordinal);
        lock (_gate)
        {
            var logged = _lines.FirstOrDefault(l => Match(l.Message));
            if (logged.Message is not null)
            {
                return Task.FromResult(logged.Message);
            }

            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((Match, seen));
            return seen.Task.WaitAsync(patience);
        }
    }
}
