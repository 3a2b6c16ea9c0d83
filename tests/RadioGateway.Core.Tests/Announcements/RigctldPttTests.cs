using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.Commands;
using RadioGateway.Testing;

namespace RadioGateway.Core.Tests.Announcements;

/// <summary>Against a real rigctld with Hamlib's dummy rig (model 1) and PTT by CAT (<c>-P RIG</c>); a second connection reads the PTT state back with <c>t</c>.</summary>
public sealed class RigctldPttTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _host = ExternalTool.UniqueLoopbackAddress();
    private readonly int _port = ExternalTool.FreeLoopbackPort();
    private RunningProcess? _rigctld;
    private RigctldClient? _observer;

    public async Task InitializeAsync()
    {
        var rigctld = ExternalTool.Require("rigctld", "libhamlib-utils");
        _rigctld = ExternalTool.Start(rigctld, ["-m", "1", "-P", "RIG", "-T", _host, "-t", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        _observer = await ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.DisposeAsync();
        }

        _rigctld?.Dispose();
    }

    // rigctld listens a moment after it starts: connect until it answers (bounded by Patience), no fixed sleep.
    private async Task<RigctldClient> ConnectAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                return await RigctldClient.ConnectAsync(_host, _port, patience.Token);
            }
            catch (System.Net.Sockets.SocketException) when (!patience.IsCancellationRequested && !_rigctld!.Process.HasExited)
            {
                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task Cat_ptt_is_keyed_only_while_the_announcement_plays_and_released_after_a_crash()
    {
        await using var rig = await ConnectAsync();
        var ptt = new RigctldPtt(rig);
        var observing = new ObservingPlayer(_observer!);
        var transmitter = new AnnouncementTransmitter(ptt, observing, new TransmitLimiter(new TransmitLimits(), TimeProvider.System), TimeSpan.FromSeconds(60), TimeProvider.System, NullLogger.Instance) { KeyUpDelay = TimeSpan.Zero };
        await transmitter.EnsureUnkeyedAsync();
        Assert.False(await _observer!.GetPttAsync(CancellationToken.None));

        var outcome = await transmitter.TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(2)), 1, CancellationToken.None);

        Assert.True(outcome.Sent, outcome.Reason);
        Assert.Equal([true], observing.Seen);
        Assert.False(await _observer.GetPttAsync(CancellationToken.None));

        var crashing = new AnnouncementTransmitter(ptt, new CrashingPlayer(), new TransmitLimiter(new TransmitLimits(), TimeProvider.System), TimeSpan.FromSeconds(60), TimeProvider.System, NullLogger.Instance) { KeyUpDelay = TimeSpan.Zero };
        await Assert.ThrowsAsync<InvalidCastException>(() => crashing.TransmitAsync("a2", new AudioClip("x.wav", TimeSpan.FromSeconds(2)), 1, CancellationToken.None));
        Assert.False(await _observer.GetPttAsync(CancellationToken.None));
        Assert.Equal("rigctld " + _host + ":" + _port, ptt.Description);
    }

    [Fact]
    public async Task The_dummy_rig_reports_its_frequency_and_mode()
    {
        var state = await _observer!.GetStateAsync(CancellationToken.None);

        // Hamlib's dummy rig starts on 145.000 MHz FM (15 kHz passband).
        Assert.Equal(new RigState(145_000_000, "FM", 15000), state);
    }

    private sealed class ObservingPlayer(RigctldClient observer) : IAudioPlayer
    {
        public List<bool> Seen { get; } = [];

        public async Task PlayAsync(AudioClip clip, CancellationToken cancellationToken) => Seen.Add(await observer.GetPttAsync(cancellationToken));
    }

    private sealed class CrashingPlayer : IAudioPlayer
    {
        public Task PlayAsync(AudioClip clip, CancellationToken cancellationToken) => throw new InvalidCastException("crash mid-announcement");
    }
}
