namespace RadioGateway.Core.Announcements;

/// <summary>
/// Keys an analog transmitter. <see cref="UnkeyAsync"/> takes no cancellation: every exit path must be able to
/// unkey, and it must be safe to call when not keyed (start-up, after the watchdog, twice).
/// </summary>
public interface IPtt
{
    /// <summary>What keys the radio, for logs and results: <c>serial RTS</c>, <c>rigctld 127.0.0.1:4532</c>, …</summary>
    string Description { get; }

    ValueTask KeyAsync(CancellationToken cancellationToken);

    ValueTask UnkeyAsync();
}

/// <summary>Which modem-control line of a serial port keys the radio (the usual PTT interfaces: a transistor on RTS or DTR).</summary>
public enum PttLine
{
    Rts,
    Dtr,
}

/// <summary>A serial port's RTS and DTR outputs (the seam tests drive; System.IO.Ports behind it in the gateway).</summary>
public interface ISerialControlLines
{
    bool Rts { get; set; }

    bool Dtr { get; set; }
}

/// <summary>
/// PTT by a serial port's RTS or DTR (<paramref name="activeLow"/> for interfaces that key on a low line). Created
/// unkeyed: the constructor drives the line to its idle state first (DESIGN, Hamlib#1343, Direwolf#44: opening a
/// port raises DTR and RTS).
/// </summary>
public sealed class SerialLinePtt : IPtt
{
    private readonly ISerialControlLines _lines;
    private readonly PttLine _line;
    private readonly bool _activeLow;

    public SerialLinePtt(ISerialControlLines lines, PttLine line, bool activeLow, string portName)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines = lines;
        _line = line;
        _activeLow = activeLow;
        Description = $"{portName} {line.ToString().ToUpperInvariant()}{(activeLow ? " (active low)" : "")}";
        Drive(keyed: false);
    }

    public string Description { get; }

    public ValueTask KeyAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Drive(keyed: true);
        return ValueTask.CompletedTask;
    }

    public ValueTask UnkeyAsync()
    {
        Drive(keyed: false);
        return ValueTask.CompletedTask;
    }

    private void Drive(bool keyed)
    {
        var level = keyed != _activeLow;
        if (_line == PttLine.Rts)
        {
            _lines.Rts = level;
        }
        else
        {
            _lines.Dtr = level;
        }
    }
}
