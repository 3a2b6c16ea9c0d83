using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Core.Adapters.Mmdvm;

/// <summary>The command path's way to the air: forwards bursts to whichever modem session is up (none while the link is down).</summary>
public sealed class ModemTransmitter : IBurstTransmitter
{
    private MmdvmModemSession? _session;

    public void Attach(MmdvmModemSession session) => Volatile.Write(ref _session, session);

    public void Detach(MmdvmModemSession session) => Interlocked.CompareExchange(ref _session, null, session);

    public Task TransmitAsync(IReadOnlyList<SlotBurst> bursts, CancellationToken cancellationToken) =>
        Volatile.Read(ref _session) is { } session
            ? session.TransmitAsync(bursts, cancellationToken)
            : throw new RadioLinkDownException("no base station link is up");
}
