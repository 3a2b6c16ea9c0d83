using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Benchmarks.Dmr;

/// <summary>
/// The decode work the gateway's receive path does per burst today (Core's DmrFrameDecoder), at Protocols level
/// and without the call tracker, events or logs: sync check, slot type, BPTC(196,96) with full LC (RS(12,9)), CSBK
/// or data header, rate ½/¾ blocks into packets, EMB and embedded LC with talker alias. Returns a number that
/// depends on what was decoded, so nothing can be optimised away.
/// </summary>
public sealed class Layer2BurstDecoder(byte colourCode)
{
    private readonly SlotState[] _slots = [new(), new()];

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
                var lc = FullLinkControl.FromBurst(burst, dataType, out var corrected);
                if (lc is null)
                {
                    return -3;
                }

                slot.NewCall();
                return (int)lc.SourceId + corrected + slotTypeErrors;
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

    private static int DecodeVoice(byte[] burst, SlotState slot)
    {
        if (!DmrBurst.TryReadEmb(burst, out var emb, out var embErrors))
        {
            slot.Embedded.Reset();
            return -6;
        }

        var lc = slot.Embedded.Add(emb.Lcss, DmrBurst.ReadEmbeddedFragment(burst), out _);
        if (lc is null)
        {
            return embErrors;
        }

        if (lc.Opcode is >= Flco.TalkerAliasHeader and <= Flco.TalkerAliasBlock3)
        {
            return slot.Alias.Add(lc)?.Length ?? 0;
        }

        return (int)lc.SourceId;
    }

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
