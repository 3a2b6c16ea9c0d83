using System.Net;

namespace RadioGateway.Core.ControlStations;

/// <summary>One UDP datagram the gateway hands a control station to put on the air, addressed to a radio or group.</summary>
/// <param name="Destination">The radio's or group's address (its CAI address for MOTOTRBO).</param>
/// <param name="Port">The service port on the radio (4001 LRRP, 4005 ARS, 4007 TMS, …).</param>
/// <param name="Payload">The service PDU.</param>
/// <param name="Service">What it is, for logs (<c>tms</c>, <c>lrrp</c>, <c>ars</c>).</param>
public sealed record ControlStationDatagram(IPEndPoint Destination, byte[] Payload, string Service)
{
    /// <summary>
    /// Airtime the control station needs for it: a confirmed rate ½ data call of the IPv4/UDP datagram (28 octets of
    /// headers, 12 octets per block) behind a data header and one preamble, at 60 ms per burst (TS 102 361-1 §4.2, §9.2.2).
    /// </summary>
    public TimeSpan Airtime => TimeSpan.FromMilliseconds(60 * (2 + ((Payload.Length + 28 + 4 + 11) / 12)));
}

/// <summary>The transmit port of a control station: hands datagrams to the radio's IP stack, which sends them on the air.</summary>
public interface IDatagramTransmitter
{
    /// <summary>Why <paramref name="datagram"/> may not be sent at all (its destination is outside the configured networks); null when it may.</summary>
    string? Refusal(ControlStationDatagram datagram);

    /// <summary>Sends one datagram through the control station.</summary>
    /// <exception cref="Radio.RadioLinkDownException">The control station is not connected.</exception>
    /// <exception cref="ControlStationAddressException">The destination lies outside the configured networks; nothing was sent.</exception>
    /// <exception cref="Radio.TransmitWatchdogException">The radio did not take the datagram within the TX time-out.</exception>
    Task SendAsync(ControlStationDatagram datagram, CancellationToken cancellationToken);
}

/// <summary>A datagram was refused before sending because its destination is not a radio or group of the configured networks.</summary>
public sealed class ControlStationAddressException(string message) : IOException(message);
