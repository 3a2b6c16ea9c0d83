using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Benchmarks.Dmr;

/// <summary>
/// The same work as <see cref="Layer2BurstDecoder"/> through the span entry points that write into the caller's
/// buffers: full LC and embedded LC decode into 9 octets, talker alias assembles from them. CSBK, data header and
/// packet assembly keep their object results (a CSBK, a header, a packet per call, not per burst).
/// </summary>
public sealed class Layer2SpanDecoder(byte colourCode)
{
    private readonly SlotState[] _slots = [new(), new()];
    private readonly byte[] _lc = new byte[FullLinkControl.Length];

    public int Decode(RecordedBurst burst)
    {
        ArgumentNullException.ThrowIfNull(burst);
        var slot = _slots[burst.Slot - 1];
        if (burst.IsDataSync)
        {
            return DmrBurst.IsDataSync(DmrBurst.FindSync(burst.Burst, maxBitErrors: 4)) ? DecodeData(burst.Burst, slot) : -1;
        }

        if (burst.IsVoiceSync)
        {
            return DmrBurst.IsVoiceSync(DmrBurst.FindSync(burst.Burst, maxBitErrors: 4)) ? 1 : -1;
        }

        return DecodeVoice(burst.Burst, slot);
    }

    private int DecodeData(byte[] burst, SlotState slot)
    {
        if (!DmrBurst.TryReadSlotType(burst, out var colour, out var dataType, out var slotTypeErrors) || colour != colourCode)
        {
            return -2;
        }

        Span<byte> info = stackalloc byte[18];
        switch (dataType)
        {
            case DmrDataType.VoiceLcHeader or DmrDataType.TerminatorWithLc:
                if (!FullLinkControl.TryReadFromBurst(burst, dataType, _lc, out var corrected))
                {
                    return -3;
                }

                slot.NewCall();
                return SourceId(_lc) + corrected + slotTypeErrors;
            case DmrDataType.Csbk:
                var csbk = DmrBurst.ReadBptcInfo(burst, info[..12]) >= 0 ? Csbk.Decode(info[..12], out _) : null;
                return csbk is null ? -4 : (int)csbk.SourceId;
            case DmrDataType.DataHeader:
                var header = DmrBurst.ReadBptcInfo(burst, info[..12]) >= 0 ? DataHeader.Decode(info[..12], out _) : null;
                return header is null ? -5 : slot.Data.OnHeader(header).Count;
            case DmrDataType.Rate12Data:
                var rate12 = slot.Data.OnRate12Block(info[..12], fecFailed: DmrBurst.ReadBptcInfo(burst, info[..12]) < 0);
                return rate12?.UserData?.Length ?? 0;
            case DmrDataType.Rate34Data:
                var rate34 = slot.Data.OnRate34Block(info, fecFailed: DmrBurst.ReadRate34Info(burst, info) < 0);
                return rate34?.UserData?.Length ?? 0;
            default:
                return 0;
        }
    }

    private int DecodeVoice(byte[] burst, SlotState slot)
    {
        if (!DmrBurst.TryReadEmb(burst, out var emb, out var embErrors))
        {
            slot.Embedded.Reset();
            return -6;
        }

        if (!slot.Embedded.Add(emb.Lcss, DmrBurst.ReadEmbeddedFragment(burst), _lc, out _))
        {
            return embErrors;
        }

        if ((Flco)(_lc[0] & 0x3F) is >= Flco.TalkerAliasHeader and <= Flco.TalkerAliasBlock3)
        {
            return slot.Alias.Add(_lc)?.Length ?? 0;
        }

        return SourceId(_lc);
    }

    private static int SourceId(ReadOnlySpan<byte> lc) => (lc[6] << 16) | (lc[7] << 8) | lc[8];

    private sealed class SlotState
    {
        public EmbeddedLcAssembler Embedded { get; } = new();

        public TalkerAliasAssembler Alias { get; } = new();

        public DataCallAssembler Data { get; } = new();

        public void NewCall()
        {
            Embedded.Reset();
            Alias.Reset();
        }
    }
}
