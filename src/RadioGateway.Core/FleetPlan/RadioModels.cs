namespace RadioGateway.Core.FleetPlan;

/// <summary>Which programming tool's file a radio model is exported to.</summary>
public enum RadioFamily
{
    /// <summary>Programmed with qdmr/dmrconf (and Anytone's own CPS for AnyTone models).</summary>
    Qdmr,

    /// <summary>Programmed with dmrconfig (TYT MD-380 family).</summary>
    Dmrconfig,

    /// <summary>Motorola MOTOTRBO CPS: contact list import only.</summary>
    Motorola,

    /// <summary>Hytera CPS: contact list import only.</summary>
    Hytera,
}

/// <summary>
/// A radio model a team may carry: its key (as the radio's programming tool names it), limits and how many
/// characters of a name it displays. <see cref="MaxContacts"/> is null where no public source gives the limit
/// (then it is not checked). <see cref="Source"/> says where the limits come from.
/// </summary>
public sealed record RadioModel(
    string Key,
    string DisplayName,
    RadioFamily Family,
    int? MaxContacts,
    int? MaxChannels,
    int NameLength,
    bool UnicodeNames,
    string Source)
{
    /// <summary>True when the radio shows names written in Persian letters (else names are transliterated).</summary>
    public bool ShowsPersian => UnicodeNames;
}

/// <summary>The radio models the plan knows, with their limits and the sources of those limits.</summary>
public static class RadioModels
{
    private const string Qdmr = "qdmr 0.11.2 lib/";

    public static IReadOnlyList<RadioModel> All { get; } =
    [
        // AnyTone: 10000 DMR contacts, 4000 channels, names 16 ASCII characters.
        new("d878uv", "AnyTone AT-D878UV", RadioFamily.Qdmr, 10_000, 4_000, 16, false, Qdmr + "d878uv_limits.cc"),
        new("d878uv2", "AnyTone AT-D878UVII", RadioFamily.Qdmr, 10_000, 4_000, 16, false, Qdmr + "d878uv2_limits.cc"),
        new("d868uv", "AnyTone AT-D868UV", RadioFamily.Qdmr, 10_000, 4_000, 16, false, Qdmr + "d868uv_limits.cc"),
        new("d578uv", "AnyTone AT-D578UV", RadioFamily.Qdmr, 10_000, 4_000, 16, false, Qdmr + "d578uv_limits.cc"),
        new("dmr6x2uv", "BTECH DMR-6X2UV", RadioFamily.Qdmr, 10_000, 4_000, 16, false, Qdmr + "dmr6x2uv_limits.cc"),

        // Radioddity: GD-77 1024 contacts, RD-5R 256 contacts, names 16 ASCII characters.
        new("gd77", "Radioddity GD-77", RadioFamily.Qdmr, 1_024, 1_024, 16, false, Qdmr + "gd77_limits.cc"),
        new("rd5r", "Radioddity RD-5R", RadioFamily.Qdmr, 256, 1_024, 16, false, Qdmr + "rd5r_limits.cc"),

        // TYT/Baofeng with TYT firmware: 10000 contacts, 1000–10000 channels by model, names 16 Unicode characters (UTF-16 in the radio).
        new("md390", "TYT MD-390", RadioFamily.Qdmr, 10_000, 1_000, 16, true, Qdmr + "md390_limits.cc"),
        new("uv390", "TYT MD-UV390", RadioFamily.Qdmr, 10_000, 3_000, 16, true, Qdmr + "uv390_limits.cc"),
        new("md2017", "TYT MD-2017", RadioFamily.Qdmr, 10_000, 10_000, 16, true, Qdmr + "md2017_limits.cc"),
        new("dm1701", "Baofeng DM-1701", RadioFamily.Qdmr, 10_000, 3_000, 16, true, Qdmr + "dm1701_limits.cc"),

        // dmrconfig's own table headers for the MD-380: "Contact number: 1-1000", "Channel number: 1-1000", names "up to 16 characters".
        new("md380", "TYT MD-380", RadioFamily.Dmrconfig, 1_000, 1_000, 16, false, "dmrconfig examples/md380-*.conf table headers"),

        // Commercial radios: contact lists imported into the maker's CPS; no public source for their limits, so unchecked.
        new("motorola", "Motorola MOTOTRBO (CPS 2.0 contact import)", RadioFamily.Motorola, null, null, 16, true, "no public source; not checked"),
        new("hytera", "Hytera (CPS contact import)", RadioFamily.Hytera, null, null, 16, true, "no public source; not checked"),
    ];

    public static RadioModel? Find(string key) => All.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase));

    public static string Keys => string.Join(", ", All.Select(m => m.Key));
}
