using System.Buffers;
using RadioGateway.Protocols.Ogg;

namespace RadioGateway.Protocols.Tests.Ogg;

public sealed class OggPageTests
{
    [Fact]
    public void The_page_crc_is_crc32_with_polynomial_04c11db7_initial_zero_and_no_final_xor()
    {
        // reveng catalogue CRC-32/CKSUM (same polynomial, init 0, unreflected) checks "123456789" as 0x765E7680 with
        // xorout 0xFFFFFFFF; Ogg (RFC 3533 §6) has no xorout, so 0x765E7680 ^ 0xFFFFFFFF.
        Assert.Equal(0x765E7680u ^ 0xFFFFFFFFu, OggPage.Crc("123456789"u8));
    }

    [Fact]
    public void A_page_has_the_rfc3533_header_lacing_and_a_crc_over_itself()
    {
        var output = new ArrayBufferWriter<byte>();
        var packet = new byte[510];
        OggPage.Write(output, OggPage.BeginningOfStream, 1234, 0xCAFEu, 7, packet);
        var page = output.WrittenSpan.ToArray();

        Assert.Equal("OggS"u8.ToArray(), page[..4]);
        Assert.Equal((0, OggPage.BeginningOfStream), (page[4], page[5]));
        Assert.Equal(1234L, BitConverter.ToInt64(page, 6));
        Assert.Equal((0xCAFEu, 7u), (BitConverter.ToUInt32(page, 14), BitConverter.ToUInt32(page, 18)));
        // 510 = 255 + 255 + 0: a packet that is a multiple of 255 ends with a zero lacing value.
        Assert.Equal(new byte[] { 3, 255, 255, 0 }, page[26..30]);
        Assert.Equal(27 + 3 + 510, page.Length);
        var crc = BitConverter.ToUInt32(page, 22);
        page.AsSpan(22, 4).Clear();
        Assert.Equal(OggPage.Crc(page), crc);
    }

    [Fact]
    public void Opus_headers_follow_rfc7845()
    {
        var head = OpusHeaders.Identification(1, 312, 16000);
        Assert.Equal("4f7075734865616401013801803e00000000" + "00", Convert.ToHexStringLower(head));

        var tags = OpusHeaders.Comments("v", ["CALL=1"]);
        Assert.Equal("OpusTags"u8.ToArray(), tags[..8]);
        Assert.Equal(8 + 4 + 1 + 4 + 4 + 6, tags.Length);
    }
}
