using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Commands;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Core.ControlStations.Motorola;

/// <summary>
/// The gateway as the application server behind a MOTOTRBO control station, the way dispatch consoles connect:
/// the radio routes IP between the PC and the air, field radios are reached at their CAI addresses.
/// ARS (de)registrations become <see cref="RegistrationChanged"/> and are answered; LRRP reports become
/// <see cref="PositionReported"/>; TMS texts become <see cref="TextMessageReceived"/> and are acknowledged.
/// With a tracking interval, every radio that registers is asked for triggered reports, stopped when it leaves.
/// Every datagram the gateway sends — commands, answers, tracking — is booked with the one transmit limiter.
/// </summary>
public sealed partial class MotorolaControlStation(
    MotorolaStationSettings settings,
    UnitRoster roster,
    IEventSink sink,
    TimeProvider time,
    ILogger<MotorolaControlStation> logger,
    TransmitLimiter? limiter = null,
    Func<IPAddress, bool>? isLocalAddressUp = null) : IRadioAnswers, IDatagramTransmitter
{
    private readonly Func<IPAddress, bool> _isLocalAddressUp = isLocalAddressUp ?? UdpServiceSocket.IsLocalAddressUp;
    private readonly DataServiceMapper _positions = new(settings.RadioId, roster);
    private readonly TrackedUnits _tracked = new();
    private StationLink? _link;
    private int _eventCounter;

    public event Action<string>? AnswerHeard;

    public MotorolaStationSettings Settings => settings;

    /// <summary>Binds the ARS, LRRP and TMS ports on the local address.</summary>
    /// <exception cref="IOException">The address is on no interface that is up, or a port cannot be bound; the message says which.</exception>
    public ValueTask<IAsyncDisposable> OpenAsync(CancellationToken cancellationToken)
    {
        var local = settings.LocalAddress;
        if (!_isLocalAddressUp(local))
        {
            throw new IOException($"{local} is on no network interface that is up: is the control station plugged in and its interface configured?");
        }

        var sockets = new List<UdpServiceSocket>(3);
        try
        {
            sockets.Add(UdpServiceSocket.Bind(local, settings.ArsPort, "ARS"));
            sockets.Add(UdpServiceSocket.Bind(local, settings.LrrpPort, "LRRP"));
            sockets.Add(UdpServiceSocket.Bind(local, settings.TmsPort, "TMS"));
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        return ValueTask.FromResult<IAsyncDisposable>(new StationLink(sockets[0], sockets[1], sockets[2]));
    }

    /// <summary>Serves the bound ports until the link fails (the local address disappears, a socket errors) or <paramref name="cancellationToken"/> stops it.</summary>
    public async Task RunAsync(IAsyncDisposable link, CancellationToken cancellationToken)
    {
        var station = (StationLink)link;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _link, station);
        LogServing(settings.RadioId, settings.LocalAddress.ToString(), settings.ArsPort, settings.LrrpPort, settings.TmsPort, settings.Networks.ToString());
        PublishLinkUp();
        Task[] loops =
        [
            ReceiveAsync(station.Ars, OnArsAsync, stop.Token),
            ReceiveAsync(station.Lrrp, OnLrrpAsync, stop.Token),
            ReceiveAsync(station.Tms, OnTmsAsync, stop.Token),
            WatchLocalAddressAsync(stop.Token),
        ];
        try
        {
            var first = await Task.WhenAny(loops).ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _link, null, station);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(loops).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // the first failure is the one reported
            }
        }
    }

    /// <summary>Sends a command's datagram through the control station, refusing any address outside the configured networks.</summary>
    public async Task SendAsync(ControlStationDatagram datagram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        EnsureInNetworks(datagram.Destination);
        var link = Volatile.Read(ref _link) ?? throw new RadioLinkDownException($"control station {settings.RadioId} is not connected");
        await SendWithWatchdogAsync(link, datagram, cancellationToken).ConfigureAwait(false);
        logger.Sent(datagram.Service, datagram.Destination.ToString());
    }

    public string? Refusal(ControlStationDatagram datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        return settings.Networks.Contains(datagram.Destination.Address) ? null : $"{datagram.Destination.Address} is outside the configured networks {settings.Networks}; nothing was sent";
    }

    private void EnsureInNetworks(IPEndPoint destination)
    {
        if (!settings.Networks.Contains(destination.Address))
        {
            throw new ControlStationAddressException($"{destination.Address} is outside the configured networks {settings.Networks}; nothing was sent");
        }
    }

    private async Task SendWithWatchdogAsync(StationLink link, ControlStationDatagram datagram, CancellationToken cancellationToken)
    {
        var socket = datagram.Destination.Port == settings.ArsPort ? link.Ars : datagram.Destination.Port == settings.LrrpPort ? link.Lrrp : link.Tms;
        try
        {
            await socket.SendAsync(datagram.Payload, datagram.Destination, cancellationToken).AsTask().WaitAsync(settings.TxTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TransmitWatchdogException($"control station {settings.RadioId} did not take the {datagram.Service} datagram within {settings.TxTimeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw new RadioLinkDownException($"control station {settings.RadioId}: sending {datagram.Service} to {datagram.Destination} failed: {e.Message}");
        }
    }

    private async Task ReceiveAsync(UdpServiceSocket socket, Func<byte[], IPEndPoint, uint, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[] payload;
            IPEndPoint from;
            try
            {
                (payload, from) = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new IOException($"{socket.Service} socket on {socket.LocalEndPoint} failed: {e.Message}", e);
            }

            if (!settings.Networks.TryUnitId(from.Address, out var unit))
            {
                LogForeignSender(socket.Service, from.ToString(), settings.Networks.ToString());
                continue;
            }

            await handle(payload, from, unit, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WatchLocalAddressAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(settings.LinkCheckInterval, time, cancellationToken).ConfigureAwait(false);
            if (!_isLocalAddressUp(settings.LocalAddress))
            {
                throw new IOException($"{settings.LocalAddress} left its network interface: control station unplugged?");
            }
        }
    }

    private async Task OnArsAsync(byte[] payload, IPEndPoint from, uint unit, CancellationToken cancellationToken)
    {
        if (Ars.TryDecode(new ReadOnlySequence<byte>(payload), out var ars, out _, out var error) != DecodeStatus.Done || ars is null)
        {
            logger.Undecodable("ARS", unit, error.ToString());
            return;
        }

        if (!ars.IsOnline && !ars.IsOffline)
        {
            logger.Ignored("ARS", unit, ars.Type.ToString());
            return;
        }

        var now = time.GetUtcNow();
        sink.Publish(new RegistrationChanged
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"registration.{unit}.{(ars.IsOnline ? "on" : "off")}.{EventIdTime.Of(now)}"),
            Time = now,
            Unit = roster.Unit(unit),
            Registered = ars.IsOnline,
            Protocol = "ars",
        });

        if (ars.IsOnline)
        {
            // The ARS server's answer: accepted, with the refresh interval (ARS §"Registration ACK").
            await ReplyAsync(unit, from, w => Ars.WriteRegistrationAccepted(w, settings.ArsRefreshHalfHours), "ars", cancellationToken).ConfigureAwait(false);
        }

        await TrackAsync(unit, ars.IsOnline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tracking policy: a triggered request when a radio registers, a stop when it leaves (same request id as a <c>locate</c> command's).</summary>
    private async Task TrackAsync(uint unit, bool registered, CancellationToken cancellationToken)
    {
        if (settings.TrackingInterval <= TimeSpan.Zero)
        {
            return;
        }

        if (!_tracked.Change(unit, registered))
        {
            return;
        }

        var requestId = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(requestId, CommandEncoder.TriggerId(unit));
        var destination = new IPEndPoint(settings.Networks.UnitAddress(unit), settings.LrrpPort);
        var seconds = (int)settings.TrackingInterval.TotalSeconds;
        var sent = registered
            ? await ReplyAsync(unit, destination, w => Lrrp.WriteTriggeredRequest(w, requestId, seconds), "lrrp", cancellationToken).ConfigureAwait(false)
            : await ReplyAsync(unit, destination, w => Lrrp.WriteStopRequest(w, requestId), "lrrp", cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            logger.Tracking(unit, registered ? "started" : "stopped", seconds);
        }
        else if (registered)
        {
            _tracked.Forget(unit);
        }
    }

    private Task OnLrrpAsync(byte[] payload, IPEndPoint from, uint unit, CancellationToken cancellationToken)
    {
        if (Lrrp.TryDecode(new ReadOnlySequence<byte>(payload), out var lrrp, out _, out var error) != DecodeStatus.Done || lrrp is null)
        {
            logger.Undecodable("LRRP", unit, error.ToString());
            return Task.CompletedTask;
        }

        if (lrrp.IsRequest)
        {
            logger.Ignored("LRRP", unit, lrrp.Document.ToString());
            return Task.CompletedTask;
        }

        if (lrrp.Fix is { } fix)
        {
            sink.Publish(_positions.Position(roster.Unit(unit), fix, time.GetUtcNow(), "lrrp"));
        }
        else
        {
            logger.Answer("LRRP", unit, $"{lrrp.Document} request {lrrp.RequestIdHex} result {lrrp.ResultCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        }

        AnswerHeard?.Invoke(AnswerKeys.Lrrp(unit, lrrp.RequestIdHex));
        return Task.CompletedTask;
    }

    private async Task OnTmsAsync(byte[] payload, IPEndPoint from, uint unit, CancellationToken cancellationToken)
    {
        if (Tms.TryDecode(new ReadOnlySequence<byte>(payload), out var tms, out _, out var error) != DecodeStatus.Done || tms is null)
        {
            logger.Undecodable("TMS", unit, error.ToString());
            return;
        }

        switch (tms.Type)
        {
            case TmsPduType.Acknowledgement when tms.SequenceNumber is { } acknowledged:
                AnswerHeard?.Invoke(AnswerKeys.Tms(unit, acknowledged));
                break;
            case TmsPduType.SimpleText:
                var now = time.GetUtcNow();
                sink.Publish(new TextMessageReceived
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"text.{unit}.{settings.DispatcherId}.{tms.SequenceNumber?.ToString(CultureInfo.InvariantCulture) ?? "x"}.{EventIdTime.Of(now)}"),
                    Time = now,
                    From = roster.Unit(unit),
                    To = new CallTarget(settings.DispatcherId, TargetType.Unit),
                    Text = tms.Text ?? "",
                    Protocol = "tms",
                    AckRequested = tms.AckRequested,
                    SequenceNumber = tms.SequenceNumber,
                });
                if (tms.AckRequested && tms.SequenceNumber is { } sequence)
                {
                    await ReplyAsync(unit, from, w => Tms.WriteAcknowledgement(w, sequence, tms.Address), "tms", cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                logger.Ignored("TMS", unit, tms.Type.ToString());
                break;
        }
    }

    /// <summary>A datagram the gateway sends on its own (protocol answer, tracking): booked with the limiter; dropped with a warning when it refuses.</summary>
    private async Task<bool> ReplyAsync(uint unit, IPEndPoint destination, Action<IBufferWriter<byte>> write, string service, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(64);
        write(payload);
        var datagram = new ControlStationDatagram(destination, payload.WrittenSpan.ToArray(), service);
        if (!settings.Networks.Contains(destination.Address))
        {
            LogRefusedAddress(service, destination.ToString(), settings.Networks.ToString());
            return false;
        }

        if (limiter is not null && !limiter.TryAcquire(unit, datagram.Airtime, out var retryAfter, out var limit))
        {
            logger.ReplyHeld(service, unit, limit!, retryAfter.TotalSeconds);
            return false;
        }

        if (Volatile.Read(ref _link) is not { } link)
        {
            return false;
        }

        await SendWithWatchdogAsync(link, datagram, cancellationToken).ConfigureAwait(false);
        logger.Sent(service, destination.ToString());
        return true;
    }

    private void PublishLinkUp()
    {
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{settings.RadioId}.link.{EventIdTime.Of(now)}.up.{Interlocked.Increment(ref _eventCounter)}"),
            Time = now,
            RadioId = settings.RadioId,
            LinkUp = true,
            Description = "MOTOTRBO control station",
            Detail = string.Create(CultureInfo.InvariantCulture, $"ARS {settings.ArsPort}, LRRP {settings.LrrpPort}, TMS {settings.TmsPort} on {settings.LocalAddress}; radios on {settings.Networks}"),
        });
    }

    /// <summary>The three bound service sockets of one session.</summary>
    private sealed class StationLink(UdpServiceSocket ars, UdpServiceSocket lrrp, UdpServiceSocket tms) : IAsyncDisposable
    {
        public UdpServiceSocket Ars => ars;

        public UdpServiceSocket Lrrp => lrrp;

        public UdpServiceSocket Tms => tms;

        public ValueTask DisposeAsync()
        {
            ars.Dispose();
            lrrp.Dispose();
            tms.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: MOTOTRBO control station served on {Local} (ARS {Ars}, LRRP {Lrrp}, TMS {Tms}); radios on {Networks}")]
    private partial void LogServing(string radio, string local, int ars, int lrrp, int tms, string networks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} datagram from {Sender} ignored: not a radio of {Networks}")]
    private partial void LogForeignSender(string service, string sender, string networks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} to {Destination} not sent: outside the configured networks {Networks}")]
    private partial void LogRefusedAddress(string service, string destination, string networks);
}
