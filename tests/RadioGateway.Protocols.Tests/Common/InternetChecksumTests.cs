using RadioGateway.Protocols.Common;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Common;

public sealed class InternetChecksumTests
{
    [Fact]
    public void The_rfc_1071_worked_example_sums_to_ddf2()
    {
        // RFC 1071 §3 "Numerical Examples": 00 01 f2 03 f4 f5 f6 f7 has the one's-complement sum 0xDDF2.
        Assert.Equal(0xFFFF - 0xDDF2, InternetChecksum.Compute(Hex.Parse("0001f203f4f5f6f7")));
    }

    [Fact]
    public void An_ipv4_header_gets_its_checksum_and_then_verifies_to_zero()
    {
        // A 20-octet IPv4 header (RFC 791 layout) whose checksum field, at offset 10, holds 0xB861.
        var header = Hex.Parse("45000073000040004011b861c0a80001c0a800c7");

        Assert.Equal(0xB861, InternetChecksum.Compute(header, checksumOffset: 10));
        Assert.Equal(0, InternetChecksum.Compute(header));
        header[15] ^= 0x01;
        Assert.NotEqual(0, InternetChecksum.Compute(header));
    }

    [Fact]
    public void A_trailing_odd_octet_counts_as_the_high_half_of_a_word()
    {
        // RFC 1071 §4.1: the odd octet is padded with a zero octet on the right.
        Assert.Equal(InternetChecksum.Compute(Hex.Parse("0102ab00")), InternetChecksum.Compute(Hex.Parse("0102ab")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-2)]
    [InlineData(4)]
    public void A_checksum_offset_that_is_not_a_whole_even_word_is_refused(int offset)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InternetChecksum.Compute(new byte[4], offset));
    }
}
