using RadioGateway.Uplink;
using Serilog.Core;
using Serilog.Events;

namespace RadioGateway.Hosting;

/// <summary>
/// Property values of every log event made safe for a terminal and a line-oriented log file: talker aliases,
/// texts, command ids and broker reasons come from the air or the network. C0/C1 control characters (ESC
/// sequences, a newline forging a log line) and bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069, which reorder what follows on the line) become <c>\uXXXX</c>.
/// </summary>
public sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Escape(value) is { } safe)
            {
                (replaced ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its strings escaped, or null when nothing needed it.</summary>
    private static LogEventPropertyValue? Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when Printable.Escape(text) is var safe && !ReferenceEquals(safe, text):
                return new ScalarValue(safe);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(e => Escape(e)).ToList();
                return elements.Any(e => e is not null) ? new SequenceValue(elements.Select((e, i) => e ?? sequence.Elements[i])) : null;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Escape(p.Value)).ToList();
                return properties.Any(p => p is not null)
                    ? new StructureValue(structure.Properties.Select((p, i) => new LogEventProperty(p.Name, properties[i] ?? p.Value)), structure.TypeTag)
                    : null;
            default:
                return null;
        }
    }
}

/// <summary>
/// Holds back a warning or error that repeats: at most <see cref="Burst"/> events of one message template per
/// <see cref="Window"/>; the rest are counted and told in one line when the window has passed. A sender of junk
/// commands must not fill the journal's disk with log lines.
/// Information and below always pass: every call and position line matters to the operator.
/// </summary>
public sealed class RepeatedWarningThrottle(ILogEventSink inner, TimeProvider time) : ILogEventSink, IDisposable
{
    public const int Burst = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (DateTimeOffset WindowStart, int Passed, int Held, LogEvent Last)> _templates = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var now = time.GetUtcNow();
        List<LogEvent> toWrite = [];
        lock (_gate)
        {
            TellExpired(now, toWrite);
            if (logEvent.Level < LogEventLevel.Warning)
            {
                toWrite.Add(logEvent);
            }
            else
            {
                var key = logEvent.MessageTemplate.Text;
                var state = _templates.TryGetValue(key, out var s) ? s : (WindowStart: now, Passed: 0, Held: 0, Last: logEvent);
                if (state.Passed < Burst)
                {
                    state = state with { Passed = state.Passed + 1, Last = logEvent };
                    toWrite.Add(logEvent);
                }
                else
                {
                    state = state with { Held = state.Held + 1, Last = logEvent };
                }

                _templates[key] = state;
            }
        }

        foreach (var write in toWrite)
        {
            inner.Emit(write);
        }
    }

    public void Dispose()
    {
        List<LogEvent> toWrite = [];
        lock (_gate)
        {
            TellExpired(DateTimeOffset.MaxValue, toWrite);
        }

        foreach (var write in toWrite)
        {
            inner.Emit(write);
        }

        (inner as IDisposable)?.Dispose();
    }

    private void TellExpired(DateTimeOffset now, List<LogEvent> toWrite)
    {
        foreach (var (key, state) in _templates.Where(t => now == DateTimeOffset.MaxValue || now - t.Value.WindowStart >= Window).ToList())
        {
            _templates.Remove(key);
            if (state.Held > 0)
            {
                toWrite.Add(new LogEvent(
                    now == DateTimeOffset.MaxValue ? time.GetUtcNow() : now,
                    state.Last.Level,
                    exception: null,
                    new Serilog.Parsing.MessageTemplateParser().Parse("{Held} more like this were held back in {WindowSeconds} s; the last: " + state.Last.MessageTemplate.Text),
                    [new LogEventProperty("Held", new ScalarValue(state.Held)), new LogEventProperty("WindowSeconds", new ScalarValue((int)Window.TotalSeconds)), .. state.Last.Properties.Select(p => new LogEventProperty(p.Key, p.Value))]));
            }
        }
    }
}
