using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Dmr;

/// <summary>The entry points that decode into the caller's buffers give what the object-returning ones give.</summary>
public sealed class Layer2BufferDecodeTests
{
    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_full_link_control.py test_embedded_lc
    [Theory]
    [InlineData("0300030a0f0006060f033a030c393530")]
    [InlineData("09001d17271e81b730060c9a9a8e09b1")]
    [InlineData("2100122d8d1b3318305a5c2debb7c92d")]
    public void Public_embedded_lc_decodes_into_a_buffer_through_the_assembler(string hex)
    {
        var bytes = Hex.Parse(hex);
        var fragments = Enumerable.Range(0, 4).Select(i => (uint)((bytes[i * 4] << 24) | (bytes[(i * 4) + 1] << 16) | (bytes[(i * 4) + 2] << 8) | bytes[(i * 4) + 3])).ToArray();
        var expected = EmbeddedLinkControl.Decode(fragments, out _, out _)!;
        var assembler = new EmbeddedLcAssembler();
        var lc = new byte[FullLinkControl.Length];

        Assert.False(assembler.Add(Lcss.FirstFragment, fragments[0], lc, out _));
        Assert.False(assembler.Add(Lcss.Continuation, fragments[1], lc, out _));
        Assert.False(assembler.Add(Lcss.Continuation, fragments[2], lc, out _));
        Assert.True(assembler.Add(Lcss.LastFragment, fragments[3], lc, out var error), error);
        Assert.Equal(expected.Bytes.ToArray(), lc);
    }

    [Fact]
    public void Embedded_lc_with_two_errors_in_a_row_is_refused_with_the_row_named()
    {
        var fragments = EmbeddedLinkControl.Encode(FullLinkControl.Voice(group: true, destination: 9, source: 3120101));
        fragments[0] ^= 0x80800000; // positions 0 and 8: row 1, columns 1 and 2

        Assert.False(EmbeddedLinkControl.TryDecode(fragments, new byte[FullLinkControl.Length], out _, out var error));
        Assert.Contains("row 1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DmrDataType.VoiceLcHeader)]
    [InlineData(DmrDataType.TerminatorWithLc)]
    public void Full_lc_of_a_burst_decodes_into_a_buffer_with_one_wrong_bit(DmrDataType dataType)
    {
        var lc = FullLinkControl.Voice(group: false, destination: 3120102, source: 3120101, privacy: true);
        var burst = new byte[DmrBurst.Length];
        lc.WriteToBurst(burst, dataType);
        burst[3] ^= 0x10;
        var decoded = new byte[FullLinkControl.Length];

        Assert.True(FullLinkControl.TryReadFromBurst(burst, dataType, decoded, out var corrected));
        Assert.Equal(1, corrected);
        Assert.Equal(lc.Bytes.ToArray(), decoded);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_full_link_control.py test_assemble_talker_alias
    [Fact]
    public void Public_talker_alias_assembles_from_lc_octets()
    {
        var assembler = new TalkerAliasAssembler();
        string? alias = null;
        foreach (var hex in new[] { "0400da00520034005748", "050000420050002000e0", "060044006d0069007408", "070000720069006900a8" })
        {
            alias = assembler.Add(Hex.Parse(hex).AsSpan(0, FullLinkControl.Length));
        }

        Assert.Equal("R4WBP Dmitrii", alias);
    }

    [Fact]
    public void Lc_octets_shorter_than_a_full_lc_are_refused_naming_the_length()
    {
        var error = Assert.Throws<ArgumentException>(() => new TalkerAliasAssembler().Add(new byte[5].AsSpan()));

        Assert.Contains("got 5", error.Message, StringComparison.Ordinal);
    }
}
