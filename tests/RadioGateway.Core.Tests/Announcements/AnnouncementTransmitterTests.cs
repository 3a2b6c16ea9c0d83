using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.Commands;

namespace RadioGateway.Core.Tests.Announcements;

public sealed class AnnouncementTransmitterTests
{
    private static readonly TimeSpan TxTimeout = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.Zero));
    private readonly RecordingLines _lines = new();

    private AnnouncementTransmitter Transmitter(IPtt ptt, IAudioPlayer player, TransmitLimiter? limiter = null) =>
        new(ptt, player, limiter ?? new TransmitLimiter(new TransmitLimits(), _time), TxTimeout, _time, NullLogger.Instance) { KeyUpDelay = TimeSpan.Zero };

    [Fact]
    public async Task Rts_is_low_from_the_moment_the_ptt_exists_high_only_while_playing_and_low_after()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");
        Assert.Equal(["RTS=0"], _lines.Changes);

        var player = new Player(_ => Assert.True(_lines.Rts, "keyed while playing"));
        var outcome = await Transmitter(ptt, player).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(5)), 3120101, CancellationToken.None);

        Assert.Equal(new AnnouncementOutcome(true, null, TimeSpan.Zero), outcome);
        Assert.Equal(["RTS=0", "RTS=1", "RTS=0"], _lines.Changes);
        Assert.Equal(1, player.Plays);
    }

    [Fact]
    public async Task An_active_low_dtr_interface_keys_with_a_low_line_and_rests_high()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Dtr, activeLow: true, "COM3");

        await Transmitter(ptt, new Player(_ => Assert.False(_lines.Dtr))).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(1)), 1, CancellationToken.None);

        Assert.Equal(["DTR=1", "DTR=0", "DTR=1"], _lines.Changes);
        Assert.Equal("COM3 DTR (active low)", ptt.Description);
    }

    [Fact]
    public async Task A_player_crash_mid_announcement_still_unkeys_and_the_crash_is_not_swallowed()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");
        var player = new Player(_ => throw new NullReferenceException("driver bug"));

        await Assert.ThrowsAsync<NullReferenceException>(() => Transmitter(ptt, player).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(5)), 1, CancellationToken.None));

        Assert.False(_lines.Rts);
        Assert.Equal(["RTS=0", "RTS=1", "RTS=0"], _lines.Changes);
    }

    [Fact]
    public async Task A_device_error_or_a_cancelled_announcement_unkeys_and_reports()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");
        var failing = await Transmitter(ptt, new Player(_ => throw new IOException("snd_pcm_writei: -5"))).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(5)), 1, CancellationToken.None);
        Assert.Equal("failed: snd_pcm_writei: -5", failing.Reason);
        Assert.False(_lines.Rts);

        using var stopping = new CancellationTokenSource();
        var hanging = new HangingPlayer();
        var running = Transmitter(ptt, hanging).TransmitAsync("a2", new AudioClip("x.wav", TimeSpan.FromSeconds(5)), 1, stopping.Token);
        await hanging.Started;
        Assert.True(_lines.Rts);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.False(_lines.Rts);
    }

    [Fact]
    public async Task The_watchdog_unkeys_at_the_tx_timeout_even_while_the_player_ignores_cancellation()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");
        var stuck = new HangingPlayer(ignoreCancellation: true);
        var running = Transmitter(ptt, stuck).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(30)), 1, CancellationToken.None);
        await stuck.Started;

        _time.Advance(TxTimeout - TimeSpan.FromMilliseconds(1));
        Assert.True(_lines.Rts);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_lines.Rts);
        Assert.False(running.IsCompleted);

        stuck.Release();
        var outcome = await running;
        Assert.Equal("failed: the transmit watchdog unkeyed after 60 s", outcome.Reason);
        Assert.False(_lines.Rts);
    }

    [Fact]
    public async Task Announcements_share_the_data_commands_limiter_so_their_airtime_counts_against_the_duty_cycle()
    {
        var limiter = new TransmitLimiter(new TransmitLimits { MaxDutyCycle = 0.1, DutyWindow = TimeSpan.FromMinutes(10) }, _time);
        // A data command's bursts took 50 of the 60 s budget.
        Assert.True(limiter.TryAcquire(3120101, TimeSpan.FromSeconds(50), out _, out _));
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");
        var player = new Player(_ => { });

        var outcome = await Transmitter(ptt, player, limiter).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(15)), 3120102, CancellationToken.None);

        Assert.False(outcome.Sent);
        Assert.Equal("limited: duty cycle 10 % over 10 min", outcome.Reason);
        Assert.Equal(TimeSpan.FromMinutes(10), outcome.RetryAfter);
        Assert.Equal(["RTS=0"], _lines.Changes);
        Assert.Equal(0, player.Plays);
    }

    [Fact]
    public async Task Audio_longer_than_the_tx_timeout_is_refused_without_keying()
    {
        var ptt = new SerialLinePtt(_lines, PttLine.Rts, activeLow: false, "/dev/ttyUSB1");

        var outcome = await Transmitter(ptt, new Player(_ => { })).TransmitAsync("a1", new AudioClip("x.wav", TimeSpan.FromSeconds(61)), 1, CancellationToken.None);

        Assert.StartsWith("rejected: 61 s of audio is longer than the transmitter's time-out of 60 s", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(["RTS=0"], _lines.Changes);
    }

    internal sealed class RecordingLines : ISerialControlLines
    {
        private bool _rts;
        private bool _dtr;

        public List<string> Changes { get; } = [];

        public bool Rts
        {
            get => _rts;
            set
            {
                _rts = value;
                Changes.Add(value ? "RTS=1" : "RTS=0");
            }
        }

        public bool Dtr
        {
            get => _dtr;
            set
            {
                _dtr = value;
                Changes.Add(value ? "DTR=1" : "DTR=0");
            }
        }
    }

    private sealed class Player(Action<AudioClip> play) : IAudioPlayer
    {
        public int Plays { get; private set; }

        public Task PlayAsync(AudioClip clip, CancellationToken cancellationToken)
        {
            Plays++;
            play(clip);
            return Task.CompletedTask;
        }
    }

    private sealed class HangingPlayer(bool ignoreCancellation = false) : IAudioPlayer
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _release.TrySetResult();

        public async Task PlayAsync(AudioClip clip, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await (ignoreCancellation ? _release.Task : _release.Task.WaitAsync(cancellationToken));
            if (ignoreCancellation)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
