using System.Text;
using RadioGateway.Core.FleetPlan;

namespace RadioGateway.Core.Tests.FleetPlan;

/// <summary>A codeplug cut short anywhere, or with bytes changed at random, is read or refused with its line; no other exception escapes.</summary>
public sealed class CodeplugReaderRobustnessTests
{
    private static readonly RadioGateway.Core.FleetPlan.FleetPlan Plan = FleetPlanLoader.Load(PlanFiles.ExamplePath, out _) ?? throw new InvalidOperationException("the example plan does not load");

    public static TheoryData<string> Formats => new() { "qdmr", "dmrconfig" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_codeplug_cut_at_every_offset_is_read_or_refused_with_a_line(string format)
    {
        var (text, read) = Exported(format);

        for (var length = 0; length <= text.Length; length++)
        {
            ReadOrRefuse(read, text[..length]);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_codeplug_with_random_characters_changed_is_read_or_refused_with_a_line(string format)
    {
        var (text, read) = Exported(format);
        var random = new Random(16);
        const string Noise = " -:#{}[],\"'!|>&*\n\t0123456789.+abc_";
        for (var round = 0; round < 500; round++)
        {
            var characters = text.ToCharArray();
            for (var change = 0; change < 4; change++)
            {
                characters[random.Next(characters.Length)] = Noise[random.Next(Noise.Length)];
            }

            ReadOrRefuse(read, new string(characters));
        }
    }

    private static (string Text, Func<string, Codeplug> Read) Exported(string format)
    {
        var (exportFormat, model, read) = format == "qdmr"
            ? (ExportFormat.Qdmr, "d878uv", (Func<string, Codeplug>)CodeplugReaders.ReadQdmrYaml)
            : (ExportFormat.Dmrconfig, "md380", CodeplugReaders.ReadDmrconfig);
        var file = FleetPlanExporter.Export(Plan, exportFormat, RadioModels.Find(model)!, "isfahan-1", 1, [])[0];
        return (Encoding.UTF8.GetString(file.Content), read);
    }

    private static void ReadOrRefuse(Func<string, Codeplug> read, string text)
    {
        try
        {
            read(text);
        }
        catch (YamlFormatException e)
        {
            Assert.True(e.Line >= 0, e.Message);
        }
    }
}
