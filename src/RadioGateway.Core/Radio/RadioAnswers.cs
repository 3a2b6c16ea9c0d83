using System.Globalization;
using RadioGateway.Core.DataServices;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.Radio;

/// <summary>
/// Where answers radios send back are heard: TMS and TMP acknowledgements, LRRP and LP reports, radio-check
/// replies, response packets to confirmed data. Each answer is its key (<see cref="AnswerKeys"/>); whoever waits
/// for one (the command dispatcher) listens here.
/// </summary>
public interface IRadioAnswers
{
    event Action<string>? AnswerHeard;
}

/// <summary>Gathers the answers of every receive adapter into one source for the command path.</summary>
public sealed class RadioAnswerHub : IRadioAnswers
{
    public event Action<string>? AnswerHeard;

    /// <summary>Passes one adapter's answers on.</summary>
    public void Listen(IRadioAnswers source)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.AnswerHeard += key => AnswerHeard?.Invoke(key);
    }
}

/// <summary>Keys that tie an answer heard on the air to the command it answers.</summary>
public static class AnswerKeys
{
    public static string Tms(uint unit, int sequence) => string.Create(CultureInfo.InvariantCulture, $"tms:{unit}:{sequence}");

    public static string Lrrp(uint unit, string requestIdHex) => string.Create(CultureInfo.InvariantCulture, $"lrrp:{unit}:{requestIdHex}");

    public static string HyteraTmp(uint unit, uint requestId) => string.Create(CultureInfo.InvariantCulture, $"hytera-tmp:{unit}:{requestId}");

    public static string HyteraLp(uint unit, uint requestId) => string.Create(CultureInfo.InvariantCulture, $"hytera-lp:{unit}:{requestId}");

    public static string RadioCheck(uint unit) => string.Create(CultureInfo.InvariantCulture, $"radio-check:{unit}");

    /// <summary>A confirmed data packet's response (ACK) from <paramref name="unit"/>.</summary>
    public static string DataAcknowledgement(uint unit) => string.Create(CultureInfo.InvariantCulture, $"data-ack:{unit}");

    /// <summary>A confirmed data packet's response from <paramref name="unit"/> asking for blocks again after a CRC failure (SACK or CRC NACK, TS 102 361-1 §9.2.7).</summary>
    public static string DataCrcRetryRequest(uint unit) => string.Create(CultureInfo.InvariantCulture, $"{DataCrcRetryPrefix}{unit}");

    /// <summary>The unit of a <see cref="DataCrcRetryRequest"/> key.</summary>
    public static bool TryReadDataCrcRetryRequest(string key, out uint unit)
    {
        ArgumentNullException.ThrowIfNull(key);
        unit = 0;
        return key.StartsWith(DataCrcRetryPrefix, StringComparison.Ordinal)
            && uint.TryParse(key.AsSpan(DataCrcRetryPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out unit);
    }

    private const string DataCrcRetryPrefix = "data-crc-retry:";
}

/// <summary>Answer keys of what a radio sent back (see <see cref="AnswerKeys"/>).</summary>
public static class AnswerKeyReader
{
    public static IEnumerable<string> From(DataServiceMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var source = message.Datagram?.SourceId ?? 0;
        if (message.Tms is { Type: TmsPduType.Acknowledgement, SequenceNumber: { } sequence })
        {
            yield return AnswerKeys.Tms(source, sequence);
        }

        if (message.Lrrp is { IsRequest: false } lrrp)
        {
            yield return AnswerKeys.Lrrp(source, lrrp.RequestIdHex);
        }

        if (message.Hdap is { } hdap)
        {
            if (HyteraTmp.TryDecode(hdap, out var ack, out _) == DecodeStatus.Done && ack is { IsAck: true })
            {
                yield return AnswerKeys.HyteraTmp(ack.SourceId, ack.RequestId);
            }

            if (HyteraLp.TryDecode(hdap, out var lp, out _) == DecodeStatus.Done && lp is not null && lp.Opcode is not (HyteraLp.StandardRequest or HyteraLp.TriggeredRequest or HyteraLp.TriggeredStopRequest))
            {
                yield return AnswerKeys.HyteraLp(lp.RadioId == 0 ? source : lp.RadioId, lp.RequestId);
            }
        }
    }
}
