using System.Buffers;
using System.Globalization;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Hamlib;

/// <summary>
/// Hamlib's rigctld network protocol (rigctld(1), "default protocol"): one command per line; a set command is
/// answered <c>RPRT n</c> (0 = done, negative = Hamlib error code), a get command by its values one per line
/// (<c>f</c> → Hz; <c>m</c> → mode, passband Hz; <c>t</c> → 0/1) or by <c>RPRT n</c> on error.
/// </summary>
public static class Rigctld
{
    /// <summary>Longest reply line accepted (a frequency or mode line is a few characters).</summary>
    public const int MaxLineLength = 256;

    /// <summary><c>T 1</c> / <c>T 0</c>: key or unkey the transmitter.</summary>
    public static void WriteSetPtt(IBufferWriter<byte> output, bool keyed) => Write(output, keyed ? "T 1" : "T 0");

    /// <summary><c>t</c>: PTT state.</summary>
    public static void WriteGetPtt(IBufferWriter<byte> output) => Write(output, "t");

    /// <summary><c>f</c>: VFO frequency in Hz.</summary>
    public static void WriteGetFrequency(IBufferWriter<byte> output) => Write(output, "f");

    /// <summary><c>m</c>: mode and passband.</summary>
    public static void WriteGetMode(IBufferWriter<byte> output) => Write(output, "m");

    private static void Write(IBufferWriter<byte> output, string command)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Encoding.ASCII.GetBytes(command + "\n"));
    }

    /// <summary>One reply line (without its LF; a CR before it is dropped), bounded by <see cref="MaxLineLength"/>.</summary>
    public static DecodeStatus TryReadLine(ReadOnlySequence<byte> input, out string? line, out int consumed, out DecodeError error)
    {
        line = null;
        consumed = 0;
        error = default;
        var end = input.PositionOf((byte)'\n');
        if (end is null)
        {
            if (input.Length > MaxLineLength)
            {
                error = new DecodeError(MaxLineLength, $"no line end within {MaxLineLength} characters");
                return DecodeStatus.Invalid;
            }

            return DecodeStatus.NeedMoreData;
        }

        var bytes = input.Slice(0, end.Value).ToArray();
        if (bytes.Length > MaxLineLength)
        {
            error = new DecodeError(MaxLineLength, $"reply line of {bytes.Length} characters is longer than {MaxLineLength}");
            return DecodeStatus.Invalid;
        }

        var length = bytes.Length > 0 && bytes[^1] == '\r' ? bytes.Length - 1 : bytes.Length;
        for (var i = 0; i < length; i++)
        {
            if (bytes[i] is < 0x20 or > 0x7E)
            {
                error = new DecodeError(i, $"character 0x{bytes[i]:X2} is not printable ASCII");
                return DecodeStatus.Invalid;
            }
        }

        line = Encoding.ASCII.GetString(bytes, 0, length);
        consumed = bytes.Length + 1;
        return DecodeStatus.Done;
    }

    /// <summary>Whether <paramref name="line"/> is <c>RPRT n</c>, and n.</summary>
    public static bool TryParseReport(string line, out int code)
    {
        ArgumentNullException.ThrowIfNull(line);
        code = 0;
        return line.StartsWith("RPRT ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out code);
    }

    /// <summary>A frequency line: whole Hz (rigctld may print a decimal point; fractions of a Hz are dropped).</summary>
    public static bool TryParseFrequency(string line, out long hertz)
    {
        ArgumentNullException.ThrowIfNull(line);
        hertz = 0;
        if (!decimal.TryParse(line, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1_000_000_000_000m)
        {
            return false;
        }

        hertz = (long)value;
        return true;
    }

    /// <summary>Hamlib's error names for <c>RPRT</c> codes (rig.h <c>enum rig_errcode_e</c>).</summary>
    public static string ErrorName(int code) => -code switch
    {
        0 => "OK",
        1 => "invalid parameter",
        2 => "invalid configuration",
        3 => "memory shortage",
        4 => "function not implemented",
        5 => "communication timed out",
        6 => "IO error",
        7 => "internal Hamlib error",
        8 => "protocol error",
        9 => "command rejected by the rig",
        10 => "command performed, but arg truncated",
        11 => "function not available",
        12 => "VFO not targetable",
        13 => "error talking on the bus",
        14 => "collision on the bus",
        15 => "NULL RIG handle or invalid pointer",
        16 => "invalid VFO",
        17 => "argument out of domain of function",
        _ => string.Create(CultureInfo.InvariantCulture, $"Hamlib error {code}"),
    };
}
