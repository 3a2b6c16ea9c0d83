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
/// unkeys. The PTT is driven unkeyed when the service starts and stops. Results go out as <c>command-result</c>.
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
    CatStatus? cat = null) : BackgroundService
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
            await AnnounceAllAsync(new AnnouncementTransmitter(simulated, simulated, limiter, _radio.Session.TxTimeout, time, _logger), null, null, stoppingToken).ConfigureAwait(false);
            return;
        }

        if (_radio?.Audio is not { } audio)
        {
            return;
        }

        SerialControlLines? lines = null;
        RigctldClient? rig = null;
        try
        {
            if (audio.Rigctld is { } endpoint)
            {
                var colon = endpoint.LastIndexOf(':');
                rig = await RigctldClient.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), stoppingToken).ConfigureAwait(false);
                // The poll's clock starts before the first reading is published.
                var poll = new PeriodicTimer(CatPollInterval, time);
                await PublishCatStateAsync(rig, stoppingToken).ConfigureAwait(false);
                _ = PollCatAsync(rig, poll, stoppingToken);
            }

            IPtt ptt = audio.Ptt == PttMethod.Cat
                ? new RigctldPtt(rig!)
                : new SerialLinePtt(lines = new SerialControlLines(audio.PttPort!), audio.Ptt == PttMethod.SerialRts ? PttLine.Rts : PttLine.Dtr, audio.PttActiveLow, audio.PttPort!);
            var transmitter = new AnnouncementTransmitter(ptt, AudioDevices.Player(audio.Device, audio.SampleRate, audio.Channels, audio.AlsaConfig), limiter, _radio.Session.TxTimeout, time, _logger);
            await AnnounceAllAsync(transmitter, rig, audio, stoppingToken).ConfigureAwait(false);
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
            if (rig is not null)
            {
                await rig.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task AnnounceAllAsync(AnnouncementTransmitter transmitter, RigctldClient? rig, AudioProfile? audio, CancellationToken stoppingToken)
    {
        await transmitter.EnsureUnkeyedAsync().ConfigureAwait(false);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "spoken"));
        await foreach (var command in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await AnnounceAsync(command, transmitter, rig, audio, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task AnnounceAsync(AnnounceCommand command, AnnouncementTransmitter transmitter, RigctldClient? rig, AudioProfile? audio, CancellationToken cancellationToken)
    {
        try
        {
            var clip = command.Text is { } text
                ? await EspeakSpeech.SpeakAsync(text, command.Voice, Path.Combine(Directory, "spoken", command.Id.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture) + ".wav"), cancellationToken).ConfigureAwait(false)
                : WavClips.Open(Path.Combine(Directory, command.AudioFile!));
            if (rig is not null && audio?.ChannelFrequencyHz is { } wanted)
            {
                var state = await rig.GetStateAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Reads CAT every <see cref="CatPollInterval"/>; a change of frequency or mode is published.</summary>
    private async Task PollCatAsync(RigctldClient rig, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        using var owned = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await PublishCatStateAsync(rig, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            LogCatLost(rig.Endpoint, e.Message);
        }
    }

    private async Task PublishCatStateAsync(RigctldClient rig, CancellationToken cancellationToken)
    {
        var state = await rig.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (cat?.Update(new CatReading(_radio!.RadioId, rig.Endpoint, state, now)) == false)
        {
            return; // unchanged: the modem status says it already
        }

        sink.Publish(new ModemStatusChanged
        {
            Id = $"{_radio!.RadioId}.cat.{EventIdTime.Of(now)}",
            Time = now,
            // The CAT link of the radio, beside (not instead of) its MMDVM link.
            RadioId = _radio.RadioId + ".cat",
            LinkUp = true,
            Description = string.Create(CultureInfo.InvariantCulture, $"CAT {rig.Endpoint}: {state.FrequencyHz} Hz {state.Mode}"),
            Detail = string.Create(CultureInfo.InvariantCulture, $"frequencyHz={state.FrequencyHz} mode={state.Mode} passbandHz={state.PassbandHz}"),
        });
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "CAT {Rigctld} no longer answers; frequency and mode are not read until restart: {Reason}")]
    private partial void LogCatLost(string rigctld, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcements unavailable: {Reason}")]
    private partial void LogUnavailable(string reason);
}
