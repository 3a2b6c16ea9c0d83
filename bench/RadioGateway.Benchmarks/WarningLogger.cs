using Microsoft.Extensions.Logging;

namespace RadioGateway.Benchmarks;

/// <summary>Writes warnings and errors to stderr, so a reconnect or a failed drain pass never passes unseen in a figure.</summary>
public sealed class WarningLogger<T> : ILogger<T>
{
    public static readonly WarningLogger<T> Instance = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{logLevel} {typeof(T).Name}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.Message)}");
        }
    }
}
