using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Audio;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Hosting;

/// <summary>
/// Announcements (<c>commands/announce</c>) on the first radio whose hardware profile has <c>audio.ptt</c>: text is
/// spoken by espeak-ng into a WAV file, a stored file is taken from <c>{DataDirectory}/announcements</c>; over CAT the
/// radio must be on <c>audio.cat.channelFrequencyHz</c>; then <see cref="AnnouncementTransmitter"/> keys, plays and
/// unkeys. The PTT is driven unkeyed when the service starts (over CAT: on every connection to rigctld). The CAT link
/// (<see cref="CatLink"/>) reconnects by itself; while it is down, announcements that need it (PTT by CAT, a channel
/// frequency to verify) fail naming the link. Results go out as <c>command-result</c>.
/// Announcements are not kept across restarts: a spoken message is not played late.
/// </summary>
public sealed partial class AnnouncementService(
    GatewaySettings settings,
    IReadOnlyList<RadioPlan> plans,
    TransmitLimiter limiter,
    ICommandStore store,
    IEventSink sink,
    TimeProvider time,
    ILoggerFactory loggers,
    CatStatus? catStatus = null) : BackgroundService
{
    /// <summary>How often CAT is read for the modem status and the <c>status</c> message.</summary>
    public static readonly TimeSpan CatPollInterval = TimeSpan.FromSeconds(30);

    private readonly Channel<AnnounceCommand> _queue = Channel.CreateBounded<AnnounceCommand>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ILogger _logger = loggers.CreateLogger<AnnouncementService>();
    private readonly RadioPlan? _radio = plans.FirstOrDefault(p => p.Audio?.Ptt is not null || p.SimulatedAir is not null);

    private string Directory => Path.Combine(settings.DataDirectory, "announcements");

    /// <summary>Takes one <c>commands/announce</c> message; its first result is recorded before this returns.</summary>
    public void Take(ReadOnlySpan<byte> payload)
    {
        var command = AnnounceCommand.Parse(payload, out var commandId, out var problem);
        if (commandId is null)
        {
            LogUnanswerable(problem!);
            return;
        }

        if (command is null)
        {
            Result(commandId, CommandState.Failed, "invalid: " + problem);
        }
        else if (_radio is null)
        {
            Result(commandId, CommandState.Failed, "rejected: no radio has audio.ptt in its hardware profile");
        }
        else if (!_queue.Writer.TryWrite(command))
        {
            Result(commandId, CommandState.Failed, "rejected: 16 announcements are already waiting");
        }
        else
        {
            Result(commandId, CommandState.Accepted, null);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_radio?.SimulatedAir is { } air)
        {
            // run --simulate: keyed and played on the simulated channel, with the same limiter and watchdog.
            var simulated = new SimulatedAirTransmitter(air, time);
            var transmitter = new AnnouncementTransmitter(simulated, simulated, limiter, _radio.Session.TxTimeout, time, _logger);
            await transmitter.EnsureUnkeyedAsync().ConfigureAwait(false);
            await AnnounceAllAsync(transmitter, null, null, stoppingToken).ConfigureAwait(false);
            return;
        }

        if (_radio?.Audio is not { } audio)
        {
            return;
        }

        SerialControlLines? lines = null;
        var catRun = Task.CompletedTask;
        try
        {
            CatLink? cat = null;
            if (audio.Rigctld is { } endpoint)
            {
                var colon = endpoint.LastIndexOf(':');
                cat = new CatLink(_radio.RadioId, endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), audio.Ptt == PttMethod.Cat, sink, catStatus, time, _logger);
                catRun = cat.RunAsync(stoppingToken);
            }

            IPtt ptt = audio.Ptt == PttMethod.Cat
                ? cat!.Ptt
                : new SerialLinePtt(lines = new SerialControlLines(audio.PttPort!), audio.Ptt == PttMethod.SerialRts ? PttLine.Rts : PttLine.Dtr, audio.PttActiveLow, audio.PttPort!);
            var transmitter = new AnnouncementTransmitter(ptt, AudioDevices.Player(audio.Device, audio.SampleRate, audio.Channels, audio.AlsaConfig), limiter, _radio.Session.TxTimeout, time, _logger);
            if (audio.Ptt != PttMethod.Cat)
            {
                await transmitter.EnsureUnkeyedAsync().ConfigureAwait(false); // over CAT, the link unkeys on every connection
            }

            await AnnounceAllAsync(transmitter, cat, audio, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            LogUnavailable(e.Message);
            while (_queue.Reader.TryRead(out var waiting))
            {
                Result(waiting.Id, CommandState.Failed, "failed: " + e.Message);
            }
        }
        finally
        {
            lines?.Dispose();
            await catRun.ConfigureAwait(false); // ends when the service stops
        }
    }

    private async Task AnnounceAllAsync(AnnouncementTransmitter transmitter, CatLink? cat, AudioProfile? audio, CancellationToken stoppingToken)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "spoken"));
        if (cat is not null)
        {
            await cat.FirstAttempt.WaitAsync(stoppingToken).ConfigureAwait(false); // up or down, not "not connected yet"
        }

        await foreach (var command in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await AnnounceAsync(command, transmitter, cat, audio, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task AnnounceAsync(AnnounceCommand command, AnnouncementTransmitter transmitter, CatLink? cat, AudioProfile? audio, CancellationToken cancellationToken)
    {
        try
        {
            // Not keyed blind: PTT by CAT, or the channel to verify over CAT, needs the link up.
            if (cat?.DownReason is { } down && (audio!.Ptt == PttMethod.Cat || audio.ChannelFrequencyHz is not null))
            {
                Result(command.Id, CommandState.Failed, "failed: " + down);
                return;
            }

            var clip = command.Text is { } text
                ? await EspeakSpeech.SpeakAsync(text, command.Voice, Path.Combine(Directory, "spoken", command.Id.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture) + ".wav"), cancellationToken).ConfigureAwait(false)
                : WavClips.Open(Path.Combine(Directory, command.AudioFile!));
            if (cat is not null && audio?.ChannelFrequencyHz is { } wanted)
            {
                var state = await cat.UseAsync((rig, ct) => rig.GetStateAsync(ct), cancellationToken).ConfigureAwait(false);
                if (state.FrequencyHz != wanted)
                {
                    Result(command.Id, CommandState.Failed, $"rejected: the radio is on {state.FrequencyHz} Hz, not on the channel's {wanted} Hz (CAT)");
                    return;
                }
            }

            var outcome = await transmitter.TransmitAsync(command.Id, clip, command.Target, cancellationToken).ConfigureAwait(false);
            Result(command.Id, outcome.Sent ? CommandState.Transmitted : CommandState.Failed, outcome.Sent ? null : outcome.RetryAfter > TimeSpan.Zero ? $"{outcome.Reason} (allowed again in {outcome.RetryAfter.TotalSeconds:0} s)" : outcome.Reason);
        }
        catch (IOException e)
        {
            Result(command.Id, CommandState.Failed, "failed: " + e.Message);
        }
    }

    private void Result(string commandId, CommandState state, string? reason) => store.RecordResult(new CommandResultReported
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{commandId}.{state.ToString().ToLowerInvariant()}"),
        Time = time.GetUtcNow(),
        CommandId = commandId,
        State = state,
        Reason = reason,
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "An announce command without a usable id was dropped: {Problem}")]
    private partial void LogUnanswerable(string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcements unavailable: {Reason}")]
    private partial void LogUnavailable(string reason);
}
