using System.Text;

namespace RadioGateway.Core.FleetPlan;

/// <summary>The file formats <c>radiogw plan export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>qdmr's YAML codeplug (dmrconf): AnyTone, Radioddity, TYT, Baofeng DM-1701, ….</summary>
    Qdmr,

    /// <summary>dmrconfig's text configuration (TYT MD-380).</summary>
    Dmrconfig,

    /// <summary>AnyTone CPS CSV files: channels, talk-groups, zones, receive group lists.</summary>
    Anytone,

    /// <summary>CHIRP CSV of the analog channels.</summary>
    Chirp,

    /// <summary>Contact list CSV for the Motorola MOTOTRBO CPS.</summary>
    Motorola,

    /// <summary>Contact list CSV for the Hytera CPS.</summary>
    Hytera,

    /// <summary>The gateway's own channel profile and roster of each centre.</summary>
    Gateway,
}

/// <summary>One file of an export: its name (for formats that write a folder) and its bytes.</summary>
public sealed record ExportedFile(string Name, byte[] Content);

/// <summary>
/// Turns a plan into the files of one format for one radio model (and optionally one team's radio), with warnings
/// for everything the radio cannot hold as planned (Persian names transliterated or cut, digital channels left out).
/// </summary>
public static class FleetPlanExporter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The radio model a format is written for when none is named.</summary>
    public static string DefaultModel(ExportFormat format) => format switch
    {
        ExportFormat.Dmrconfig => "md380",
        ExportFormat.Motorola => "motorola",
        ExportFormat.Hytera => "hytera",
        _ => "d878uv",
    };

    /// <summary>True when <paramref name="format"/> writes several files (OUT is then a folder).</summary>
    public static bool WritesFolder(ExportFormat format) => format is ExportFormat.Anytone or ExportFormat.Gateway;

    /// <summary>The formats a model's programming tool reads.</summary>
    public static bool Accepts(ExportFormat format, RadioModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return format switch
        {
            ExportFormat.Qdmr => model.Family == RadioFamily.Qdmr,
            ExportFormat.Dmrconfig => model.Family == RadioFamily.Dmrconfig,
            ExportFormat.Anytone => model.Key is "d878uv" or "d878uv2" or "d868uv" or "d578uv",
            ExportFormat.Motorola => model.Family == RadioFamily.Motorola,
            ExportFormat.Hytera => model.Family == RadioFamily.Hytera,
            _ => true,
        };
    }

    /// <summary>The codeplug of <paramref name="model"/> as <paramref name="format"/> writes it (names fitted the format's way).</summary>
    public static Codeplug Codeplug(FleetPlan plan, ExportFormat format, RadioModel model, string? team, ICollection<string> warnings) =>
        CodeplugBuilder.Build(plan, model, team, warnings, format == ExportFormat.Dmrconfig ? '_' : null);

    public static IReadOnlyList<ExportedFile> Export(FleetPlan plan, ExportFormat format, RadioModel model, string? team, uint radioId, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!Accepts(format, model))
        {
            throw new ArgumentException($"the {format.ToString().ToLowerInvariant()} format is not for {model.DisplayName}", nameof(model));
        }

        if (format == ExportFormat.Gateway)
        {
            return [.. plan.Centres.SelectMany(centre => new[]
            {
                new ExportedFile($"{centre.Id}.channel.json", Bytes(stream => GatewayProfileWriter.ChannelProfile(stream, centre))),
                new ExportedFile($"{centre.Id}.roster.json", Bytes(stream => GatewayProfileWriter.Roster(stream, centre, plan.Roster))),
            })];
        }

        var codeplug = Codeplug(plan, format, model, team, warnings);
        var intro = PersianNames.Fit(plan.Organisation, model with { NameLength = 14, UnicodeNames = false }, "organisation", warnings);
        switch (format)
        {
            case ExportFormat.Qdmr:
                return [new("codeplug.yaml", Text(w => QdmrYamlWriter.Write(w, codeplug, radioId, intro)))];
            case ExportFormat.Dmrconfig:
                return [new("codeplug.conf", Text(w => DmrconfigWriter.Write(w, codeplug, radioId)))];
            case ExportFormat.Anytone:
                return
                [
                    new("Channel.CSV", Text(w => CsvWriters.AnytoneChannels(w, codeplug))),
                    new("TalkGroups.CSV", Text(w => CsvWriters.AnytoneTalkGroups(w, codeplug))),
                    new("Zone.CSV", Text(w => CsvWriters.AnytoneZones(w, codeplug))),
                    new("ReceiveGroupCallList.CSV", Text(w => CsvWriters.AnytoneReceiveGroups(w, codeplug))),
                ];
            case ExportFormat.Chirp:
                var skipped = 0;
                var file = new ExportedFile("chirp.csv", Text(w => skipped = CsvWriters.Chirp(w, codeplug)));
                if (skipped > 0)
                {
                    warnings.Add($"{skipped} digital channel(s) left out: CHIRP programs analog channels only");
                }

                return [file];
            case ExportFormat.Motorola:
                return [new("contacts.csv", Text(w => CsvWriters.MotorolaContacts(w, codeplug)))];
            default:
                return [new("contacts.csv", Text(w => CsvWriters.HyteraContacts(w, codeplug)))];
        }
    }

    private static byte[] Text(Action<TextWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, Utf8, leaveOpen: true) { NewLine = "\n" })
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
