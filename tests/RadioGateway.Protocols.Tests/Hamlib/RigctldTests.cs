using System.Buffers;
using System.Text;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hamlib;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Hamlib;

/// <summary>Reply lines as rigctld 4.5.4 (Hamlib dummy rig, <c>rigctld -m 1 -P RIG</c>) sent them on this machine.</summary>
public sealed class RigctldTests
{
    [Theory]
    [InlineData("RPRT 0\n", "RPRT 0")]
    [InlineData("145000000\n", "145000000")]
    [InlineData("FM\r\n", "FM")]
    public void Reply_lines_decode_whole_split_and_byte_by_byte(string reply, string line)
    {
        Assert.Equal(line, DecoderHarness.DecodeEveryWay<string>(Encoding.ASCII.GetBytes(reply), Rigctld.TryReadLine));
    }

    [Fact]
    public void Reports_frequencies_and_error_names_are_read()
    {
        Assert.True(Rigctld.TryParseReport("RPRT -11", out var code));
        Assert.Equal((-11, "function not available"), (code, Rigctld.ErrorName(code)));
        Assert.False(Rigctld.TryParseReport("145000000", out _));
        Assert.True(Rigctld.TryParseFrequency("438975000.000000", out var hz));
        Assert.Equal(438_975_000, hz);
        Assert.False(Rigctld.TryParseFrequency("RPRT -1", out _));
    }

    [Fact]
    public void Commands_are_written_one_per_line()
    {
        var output = new ArrayBufferWriter<byte>();
        Rigctld.WriteSetPtt(output, keyed: true);
        Rigctld.WriteSetPtt(output, keyed: false);
        Rigctld.WriteGetPtt(output);
        Rigctld.WriteGetFrequency(output);
        Rigctld.WriteGetMode(output);

        Assert.Equal("T 1\nT 0\nt\nf\nm\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Endless_or_binary_replies_are_refused_and_fuzz_never_throws()
    {
        Assert.Equal(DecodeStatus.Invalid, Rigctld.TryReadLine(new ReadOnlySequence<byte>(new byte[Rigctld.MaxLineLength + 1]), out _, out _, out var error));
        Assert.Contains("no line end within 256", error.Message, StringComparison.Ordinal);
        Assert.Equal(DecodeStatus.Invalid, Rigctld.TryReadLine(new ReadOnlySequence<byte>("F\u0001M\n"u8.ToArray()), out _, out _, out error));
        Assert.Equal(1, error.Offset);

        DecoderHarness.TruncationsNeverDecode<string>("RPRT 0\n"u8.ToArray(), Rigctld.TryReadLine);
        DecoderHarness.SurvivesFuzz<string>(["RPRT 0\n"u8.ToArray(), "145000000\n"u8.ToArray()], Rigctld.TryReadLine);
    }
}
