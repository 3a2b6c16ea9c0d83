using RadioGateway.Core.Commands;
using RadioGateway.Protocols.Mmdvm;

namespace RadioGateway.Core.Adapters.Mmdvm;

/// <summary>
/// The command path's way to the air: forwards to whichever modem session is up (none while the link is down)
/// and passes on the answers its decoder hears.
/// </summary>
public sealed class ModemTransmitter : ICommandTransmitter
{
    private MmdvmModemSession? _session;

    /// <summary>Answer keys heard by the attached decoder.</summary>
    public event Action<string>? AnswerHeard;

    public void Attach(MmdvmModemSession session) => Volatile.Write(ref _session, session);

    public void Detach(MmdvmModemSession session) => Interlocked.CompareExchange(ref _session, null, session);

    /// <summary>Hands an answer key on (wired to <see cref="DmrFrameDecoder.AnswerHeard"/>).</summary>
    public void OnAnswer(string answerKey) => AnswerHeard?.Invoke(answerKey);

    public Task TransmitAsync(IReadOnlyList<MmdvmDmrFrame> frames, CancellationToken cancellationToken) =>
        Volatile.Read(ref _session) is { } session
            ? session.TransmitAsync(frames, cancellationToken)
            : throw new RadioLinkDownException("no base station link is up");
}
