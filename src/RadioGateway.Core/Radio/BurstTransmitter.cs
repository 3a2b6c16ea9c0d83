using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Core.Radio;

/// <summary>The transmit port of a radio link: puts DMR bursts on the air through whichever base station carries them.</summary>
public interface IBurstTransmitter
{
    /// <summary>Sends the bursts (all on one slot) once the channel is free; completes when the link has taken them all.</summary>
    /// <exception cref="RadioLinkDownException">No base station link.</exception>
    /// <exception cref="ChannelBusyException">The slot stayed busy receiving longer than channel access allows.</exception>
    /// <exception cref="TransmitWatchdogException">The transmission ran past the profile's TX time-out and was cut.</exception>
    Task TransmitAsync(IReadOnlyList<SlotBurst> bursts, CancellationToken cancellationToken);
}

public sealed class RadioLinkDownException(string message) : IOException(message);

public sealed class ChannelBusyException(string message) : IOException(message);

public sealed class TransmitWatchdogException(string message) : IOException(message);
