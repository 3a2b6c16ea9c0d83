using System.Text;
using RadioGateway.Core.FleetPlan;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.FleetPlan;

/// <summary>Exports of the example plan: round trips through our readers, the formats' own rules, names fitted to each radio.</summary>
public sealed class CodeplugExportTests
{
    private static readonly RadioGateway.Core.FleetPlan.FleetPlan Plan = FleetPlanLoader.Load(PlanFiles.ExamplePath, out _) ?? throw new InvalidOperationException("the example plan does not load");

    private static string Export(ExportFormat format, string model, string? team = null, List<string>? warnings = null) =>
        Encoding.UTF8.GetString(FleetPlanExporter.Export(Plan, format, RadioModels.Find(model)!, team, 2001001, warnings ?? [])[0].Content);

    private static Codeplug Expected(ExportFormat format, string model, string? team = null) =>
        FleetPlanExporter.Codeplug(Plan, format, RadioModels.Find(model)!, team, []);

    [Theory]
    [InlineData("d878uv", null)]
    [InlineData("uv390", null)]
    [InlineData("gd77", "tehran-1")]
    public void Plan_to_qdmr_yaml_and_back_differs_in_nothing(string model, string? team)
    {
        var yaml = Export(ExportFormat.Qdmr, model, team);

        Assert.Empty(CodeplugDiff.Compare(Expected(ExportFormat.Qdmr, model, team), CodeplugReaders.ReadQdmrYaml(yaml)));
    }

    [Fact]
    public void Plan_to_dmrconfig_and_back_differs_in_nothing()
    {
        var conf = Export(ExportFormat.Dmrconfig, "md380", "tehran-1");

        Assert.Empty(CodeplugDiff.Compare(Expected(ExportFormat.Dmrconfig, "md380", "tehran-1"), CodeplugReaders.ReadDmrconfig(conf)));
    }

    [Fact]
    public void An_edited_frequency_in_qdmr_yaml_is_one_line_of_the_diff()
    {
        var yaml = Export(ExportFormat.Qdmr, "d878uv");
        var edited = ReplaceOnce(yaml, "      rxFrequency: 433.500\n", "      rxFrequency: 433.5125\n");

        var differences = CodeplugDiff.Compare(Expected(ExportFormat.Qdmr, "d878uv"), CodeplugReaders.ReadQdmrYaml(edited));

        Assert.Equal(["channel 'Thran Analug': rxFrequency: plan 433.500 MHz, codeplug 433.5125 MHz"], differences);
    }

    [Fact]
    public void An_edited_frequency_in_a_dmrconfig_file_is_one_line_of_the_diff()
    {
        var conf = Export(ExportFormat.Dmrconfig, "md380", "tehran-1");
        var edited = ReplaceOnce(conf, "Thran_Analug     433.500   433.500", "Thran_Analug     433.500   433.525");

        var differences = CodeplugDiff.Compare(Expected(ExportFormat.Dmrconfig, "md380", "tehran-1"), CodeplugReaders.ReadDmrconfig(edited));

        Assert.Equal(["channel 'Thran_Analug': txFrequency: plan 433.500 MHz, codeplug 433.525 MHz"], differences);
    }

    [Fact]
    public void A_channel_missing_from_the_radio_and_a_foreign_contact_are_listed()
    {
        var conf = Export(ExportFormat.Dmrconfig, "md380", "tehran-1");
        var edited = ReplaceOnce(conf, "    3   Pshtibani        Group   103      -\n", "    3   Pshtibani        Group   103      -\n   11   Stranger         Private 7777777  -\n");
        edited = string.Join('\n', edited.Split('\n').Where(line => !line.Contains("Asfhan_Amliat  ", StringComparison.Ordinal)));

        var differences = CodeplugDiff.Compare(Expected(ExportFormat.Dmrconfig, "md380", "tehran-1"), CodeplugReaders.ReadDmrconfig(edited));

        Assert.Contains("channel 'Asfhan_Amliat': in the plan, missing from the codeplug", differences);
        Assert.Contains("contact unit 7777777 'Stranger': in the codeplug, not in the plan", differences);
    }

    [Fact]
    public void The_dmrconfig_reader_reads_dmrconfigs_own_example_with_offsets_ranges_and_continued_group_lists()
    {
        // dmrconfig examples/md380-south-bay-area.conf (github.com/sergev/dmrconfig), channels 101-105 and group list 1.
        const string Example = """
            Radio: TYT MD-380
            Digital Name             Receive   Transmit Power Scan TOT RO Admit  Color Slot RxGL TxContact
              101   ts1_Wide         440.125   +5       High  1    180 +  Color  3     1    1    -    # RX Only timeslot 1
              102   California       440.125   +5       High  1    180 -  Color  3     1    1    106  # 3106  California          Static
            Zone    Name             Channels
               1    Milpitas         101-102    # 440.125 W6TCP
            Contact Name             Type    ID       RxTone
              106   California       Group   3106     -
              110   Parrot           Private 9990     -
            Grouplist Name             Contacts
                1     Timeslot_1       106   # 3106
                1     Timeslot_1       110
            """;

        var codeplug = CodeplugReaders.ReadDmrconfig(Example);

        Assert.Equal(445_125_000, codeplug.Channels[0].TxFrequencyHz);
        Assert.Equal(3106u, codeplug.Channels[1].TalkGroup);
        Assert.Equal(["ts1_Wide", "California"], codeplug.Zones[0].Channels);
        Assert.Equal([3106u, 9990u], codeplug.GroupLists[0].TalkGroups);
    }

    [Fact]
    public void Qdmr_yaml_as_dmrconf_decode_writes_it_is_read_with_tags_flow_maps_and_an_empty_list()
    {
        // The shape of `dmrconf decode --radio=d878uv` output (qdmr 0.11.2): flow maps, !<!default> tags, binary-rounded MHz.
        const string Decoded = """
            ---
            version: 0.11.2
            contacts:
              - dmr: {id: cont1, name: Local, ring: false, type: GroupCall, number: 9, anytone: {alertType: None}}
            groupLists:
              - {id: grp1, name: Local, contacts: [cont1]}
            channels:
              - digital:
                  id: ch1
                  name: L9 DB0LDS
                  rxFrequency: 439.5625
                  txFrequency: 431.96249999999998
                  colorCode: 1
                  timeSlot: TS2
                  radioId: !<!default> ""
                  groupList: grp1
                  contact: cont1
                  anytone:
                    talkaround: false
                  power: High
                  timeout: !<!default> ""
            zones:
              - id: zone1
                name: "Zu Hause"
                A: [ch1]
            commercial:
              encryptionKeys:
                []
            ...
            """;

        var codeplug = CodeplugReaders.ReadQdmrYaml(Decoded);

        var channel = Assert.Single(codeplug.Channels);
        Assert.Equal((439_562_500, 431_962_500, 2, 9u), (channel.RxFrequencyHz, channel.TxFrequencyHz, channel.Slot, channel.TalkGroup!.Value));
        Assert.Equal("Zu Hause", codeplug.Zones[0].Name);
    }

    [Fact]
    public void A_malformed_codeplug_names_its_line()
    {
        var error = Assert.Throws<YamlFormatException>(() => CodeplugReaders.ReadQdmrYaml("channels:\n  - digital:\n      id: ch1\n      rxFrequency: fast\n      txFrequency: 1\n"));

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Names_doubly_encoded_by_dmrconf_decode_are_repaired_and_latin_1_names_kept()
    {
        var doubled = new string([.. Encoding.UTF8.GetBytes("عملیات").Select(b => (char)b)]);

        Assert.Equal("عملیات", CodeplugReaders.RepairName(doubled));
        Assert.Equal("Zürich", CodeplugReaders.RepairName("Zürich"));
    }

    [Theory]
    [InlineData("تهران", "Thran")]
    [InlineData("عملیات", "Amliat")]
    [InlineData("آمبولانس ۱۲", "Ambulans 12")]
    [InlineData("سرپرست اصفهان", "Srprst Asfhan")]
    [InlineData("خودرو ۷", "Khudru 7")]
    public void Persian_names_are_transliterated_by_the_table(string persian, string latin)
    {
        Assert.Equal(latin, PersianNames.Transliterate(persian));
    }

    [Fact]
    public void Names_are_cut_to_what_the_radio_shows_and_the_export_says_so()
    {
        var warnings = new List<string>();

        var fitted = PersianNames.Fit("تهران پشتیبانی شمال", RadioModels.Find("d878uv")!, "channel 'x'", warnings);

        Assert.Equal("Thran Pshtibani", fitted);
        Assert.Contains(warnings, w => w.Contains("Persian→Latin", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("shows 16 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void A_radio_showing_unicode_keeps_persian_names()
    {
        var warnings = new List<string>();

        Assert.Equal("تهران عملیات", PersianNames.Fit("تهران عملیات", RadioModels.Find("uv390")!, "channel 'x'", warnings));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Anytone_csv_files_have_the_cps_column_sets_and_one_field_per_column()
    {
        var files = FleetPlanExporter.Export(Plan, ExportFormat.Anytone, RadioModels.Find("d878uv")!, null, 1, []);

        Assert.Equal(["Channel.CSV", "TalkGroups.CSV", "Zone.CSV", "ReceiveGroupCallList.CSV"], files.Select(f => f.Name));
        foreach (var (file, columns) in files.Zip([CsvWriters.AnytoneChannelColumns, CsvWriters.AnytoneTalkGroupColumns, CsvWriters.AnytoneZoneColumns, CsvWriters.AnytoneReceiveGroupColumns]))
        {
            var lines = Encoding.UTF8.GetString(file.Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(',', columns), lines[0]);
            Assert.All(lines.Skip(1), line => Assert.Equal(columns.Length, line.Split(',').Length));
        }

        var channels = Encoding.UTF8.GetString(files[0].Content);
        Assert.Contains("1,Thran Amliat,437.97500,430.37500,D-Digital,High,12.5K,", channels, StringComparison.Ordinal);
        Assert.Contains("A-Analog", channels, StringComparison.Ordinal);
    }

    [Fact]
    public void Chirp_csv_holds_only_the_analog_channels_and_says_what_it_left_out()
    {
        var warnings = new List<string>();

        var lines = Export(ExportFormat.Chirp, "d878uv", warnings: warnings).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', CsvWriters.ChirpColumns), lines[0]);
        Assert.Equal("0,Thran Analug,433.500000,,0.000000,,88.5,88.5,023,NN,023,Tone->Tone,NFM,12.50,,Low,,,,,", Assert.Single(lines.Skip(1)));
        Assert.Contains("5 digital channel(s) left out: CHIRP programs analog channels only", warnings);
    }

    [Theory]
    [InlineData(ExportFormat.Motorola, "motorola", "Contact Name,Call Type,Call ID", "سرپرست تهران,Private Call,2001001")]
    [InlineData(ExportFormat.Hytera, "hytera", "No.,Call Alias,Call Type,Call ID", "6,سرپرست تهران,Private Call,2001001")]
    public void Contact_lists_carry_every_talk_group_and_roster_unit(ExportFormat format, string model, string header, string unitRow)
    {
        var lines = Export(format, model).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(header, lines[0]);
        Assert.Equal(1 + 5 + 5, lines.Length);
        Assert.Contains(unitRow, lines);
    }

    [Fact]
    public void The_gateways_channel_profile_of_each_centre_loads_as_a_channel_profile_and_matches_the_base_station()
    {
        var directory = Directory.CreateTempSubdirectory("radiogw-gateway-export-").FullName;
        try
        {
            foreach (var file in FleetPlanExporter.Export(Plan, ExportFormat.Gateway, RadioModels.Find("d878uv")!, null, 1, []))
            {
                File.WriteAllBytes(Path.Combine(directory, file.Name), file.Content);
            }

            var tehran = RadioGateway.Core.Profiles.ProfileLoader.LoadChannel(Path.Combine(directory, "tehran.channel.json"), out var problems);
            Assert.Empty(problems);
            Assert.Equal((430_375_000L, 437_975_000L, 1), (tehran!.RxFrequencyHz, tehran.TxFrequencyHz, tehran.ColourCode));
            Assert.Equal([101u, 102u, 103u, 2001u, 9u], tehran.TalkGroups);
            var roster = RadioGateway.Core.Roster.UnitRoster.Load(Path.Combine(directory, "isfahan.roster.json"), out var rosterProblems);
            Assert.Empty(rosterProblems);
            Assert.Equal([2002001u, 2002002u], roster!.Units.Select(u => u.Id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Heard_lists_unknown_talk_groups_and_units_and_planned_units_never_heard()
    {
        var report = new HeardReport();
        report.Add(SampleEvents.OpenCall("c1", source: 2001001, talkgroup: 101));
        report.Add(SampleEvents.OpenCall("c2", source: 4242, talkgroup: 555));
        report.Add(new JournalEvent("p1", "position", "position", "2002002", SampleEvents.Start, "{}"));

        var findings = report.Compare(Plan);

        Assert.Equal(
        [
            "talk-group 555: heard 1 call(s), last 2026-03-01 08:15:30Z; not in the plan",
            "unit 4242: heard 1 time(s), last 2026-03-01 08:15:30Z; not in the plan's roster",
            "unit 2001002 'آمبولانس ۱۲' (team tehran-1): planned, never heard",
            "unit 2001003 'نیروی ۳' (team tehran-2): planned, never heard",
            "unit 2002001 'سرپرست اصفهان' (team isfahan-1): planned, never heard",
        ], findings);
    }

    private static string ReplaceOnce(string text, string old, string replacement)
    {
        Assert.Contains(old, text, StringComparison.Ordinal);
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }
}
