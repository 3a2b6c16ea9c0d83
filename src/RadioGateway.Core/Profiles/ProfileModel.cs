using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Profiles;

/// <summary>One problem in a profile file, by file, line and key path.</summary>
public sealed record ProfileDiagnostic(string File, int Line, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Key}: {Message}";
}

/// <summary>Serial line settings of a hardware profile.</summary>
public sealed record SerialProfile(int BaudRate, int DataBits, string Parity, int StopBits, string Handshake, bool DtrIdle, bool RtsIdle);

/// <summary>MMDVM modem settings of a hardware profile.</summary>
public sealed record ModemProfile(bool Duplex, bool RxInvert, bool TxInvert, bool PttInvert, int TxDelayMs, int RxLevelPercent, int TxLevelPercent, int RfPowerPercent, int DmrDelay);

/// <summary>
/// A radio as a technician describes it: how to reach it, how to set it up, what it can do — including the CRC-9
/// bit order its confirmed data uses (<c>capabilities.confirmedDataCrc9Order</c>, default most significant bit first).
/// </summary>
public sealed record HardwareProfile(
    string Id,
    string Vendor,
    string Model,
    string Dialect,
    string TransportKind,
    SerialProfile? Serial,
    ModemProfile Modem,
    int Slots,
    int TxTimeoutSeconds,
    long BandMinHz,
    long BandMaxHz,
    Crc9BitOrder ConfirmedDataCrc9Order = Crc9BitOrder.MsbFirst)
{
    /// <summary>The sound device, PTT and CAT wired to this radio (optional section <c>audio</c>).</summary>
    public AudioProfile? Audio { get; init; }
}

/// <summary>A channel plan: frequencies as integer Hz (never floating point), colour code, slots, talk-groups.</summary>
public sealed record ChannelProfile(
    string Id,
    string Name,
    long RxFrequencyHz,
    long TxFrequencyHz,
    int ColourCode,
    IReadOnlyList<int> Slots,
    IReadOnlyList<uint> TalkGroups);
