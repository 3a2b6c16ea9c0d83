using System.Text;
using System.Text.Json;
using RadioGateway.Cli;

namespace RadioGateway.Tests.Cli;

public sealed class DecodeCommandTests
{
    // Burst of ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_single_csbk (DMRD bytes 20–52).
    private const string PreambleCsbkBurst = "444d52440923383b0008fd0006690fe33391012951dd0c4d8bb40ac413a86c5094fdff57d75df5dcadfa1268aaa87b82b9d8291910003c";

    private static List<JsonElement> Decode(string format, string input)
    {
        using var output = new MemoryStream();
        DecodeCommand.Run(new StringReader(input), output, format);
        return Encoding.UTF8.GetString(output.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }

    [Fact]
    public void A_public_csbk_burst_decodes_to_a_preamble_from_2308155_to_2301()
    {
        var burst = Convert.FromHexString(PreambleCsbkBurst)[20..53];

        var item = Assert.Single(Decode("burst", Convert.ToHexString(burst)));

        Assert.Equal("preamble", item.GetProperty("csbk").GetString());
        Assert.Equal(2308155, item.GetProperty("source").GetProperty("id").GetInt32());
        Assert.Equal(2301, item.GetProperty("destination").GetProperty("id").GetInt32());
    }

    [Fact]
    public void A_bad_line_gives_an_error_object_and_decoding_goes_on()
    {
        var burst = Convert.ToHexString(Convert.FromHexString(PreambleCsbkBurst)[20..53]);

        var items = Decode("burst", "zz\n0102\n" + burst);

        Assert.Contains("not hex", items[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, items[0].GetProperty("line").GetInt32());
        Assert.Contains("33 bytes", items[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("preamble", items[2].GetProperty("csbk").GetString());
    }

    [Fact]
    public void An_mmdvm_stream_split_across_lines_decodes_frame_by_frame_with_resync_errors()
    {
        var items = Decode("mmdvm", "e0 03\n00 55 e0040302\ne004\n7003");

        Assert.Equal("GetVersion", items[0].GetProperty("command").GetString());
        Assert.Contains("skipped 1 bytes", items[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("SetMode", items[2].GetProperty("command").GetString());
        Assert.Equal("Ack", items[3].GetProperty("command").GetString());
        Assert.Equal("SetMode", items[3].GetProperty("of").GetString());
    }
}
