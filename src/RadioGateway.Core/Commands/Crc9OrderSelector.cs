using Microsoft.Extensions.Logging;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Commands;

/// <summary>
/// The CRC-9 bit order of confirmed data blocks (see <see cref="Crc9BitOrder"/>) that one network — the radios
/// behind one base station — acknowledges. It starts from the hardware profile; a packet resent in the other order
/// after a CRC retry request and then acknowledged makes that order the one kept, logged when it changes.
/// </summary>
public sealed partial class Crc9OrderSelector(string network, Crc9BitOrder configured, ILogger logger)
{
    /// <summary>The order the hardware profile names.</summary>
    public Crc9BitOrder Configured { get; } = configured;

    /// <summary>The order confirmed packets go out in now.</summary>
    public Crc9BitOrder Current { get; private set; } = configured;

    /// <summary>Acknowledged packets, by the order they were sent in.</summary>
    public long AcknowledgedMsbFirst { get; private set; }

    public long AcknowledgedLsbFirst { get; private set; }

    /// <summary>CRC retry requests (SACK or CRC NACK) answered by resending in the other order.</summary>
    public long CrcRetryRequests { get; private set; }

    /// <summary>A radio acknowledged a packet sent in <paramref name="order"/>: the network takes that order.</summary>
    public void Acknowledged(Crc9BitOrder order)
    {
        if (order == Crc9BitOrder.MsbFirst)
        {
            AcknowledgedMsbFirst++;
        }
        else
        {
            AcknowledgedLsbFirst++;
        }

        if (order != Current)
        {
            LogOrderChanged(network, Current.Name(), order.Name(), Configured.Name());
            Current = order;
        }
    }

    /// <summary>A radio asked again for a packet sent in <paramref name="sentIn"/>: the order to resend it in.</summary>
    public Crc9BitOrder RetryOrder(Crc9BitOrder sentIn)
    {
        CrcRetryRequests++;
        return sentIn.Other();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Network {Network}: confirmed data now goes out with CRC-9 {Order} (was {Previous}; profile names {Configured}) after a radio acknowledged it")]
    private partial void LogOrderChanged(string network, string previous, string order, string configured);
}
