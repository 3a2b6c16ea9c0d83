using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hamlib;
using HamlibRigctld = RadioGateway.Protocols.Hamlib.Rigctld;

namespace RadioGateway.Core.Announcements;

/// <summary>A rigctld answered with an error or not as the protocol says.</summary>
public sealed class RigctldException(string message) : IOException(message);

/// <summary>Frequency and mode a rig reports over CAT.</summary>
public sealed record RigState(long FrequencyHz, string Mode, int PassbandHz);

/// <summary>
/// A connection to Hamlib's <c>rigctld</c> (TCP, default port 4532): PTT (<c>T</c>/<c>t</c>), frequency (<c>f</c>)
/// and mode (<c>m</c>). One command at a time; each reply is awaited with <see cref="ReplyTimeout"/>.
/// </summary>
public sealed class RigctldClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private RigctldClient(Socket socket, string endpoint)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        Endpoint = endpoint;
    }

    public static TimeSpan ReplyTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary><c>host:port</c>, for logs.</summary>
    public string Endpoint { get; }

    public static async Task<RigctldClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RigctldClient(socket, $"{host}:{port}");
    }

    public async Task SetPttAsync(bool keyed, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync(w => HamlibRigctld.WriteSetPtt(w, keyed), 1, cancellationToken).ConfigureAwait(false);
        ExpectDone(reply[0], keyed ? "T 1" : "T 0");
    }

    public async Task<bool> GetPttAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync(HamlibRigctld.WriteGetPtt, 1, cancellationToken).ConfigureAwait(false);
        return reply[0] switch
        {
            "0" => false,
            "1" or "2" or "3" => true,
            _ => throw Unexpected("t", reply[0]),
        };
    }

    public async Task<RigState> GetStateAsync(CancellationToken cancellationToken)
    {
        var frequency = await CommandAsync(HamlibRigctld.WriteGetFrequency, 1, cancellationToken).ConfigureAwait(false);
        if (!HamlibRigctld.TryParseFrequency(frequency[0], out var hertz))
        {
            throw Unexpected("f", frequency[0]);
        }

        var mode = await CommandAsync(HamlibRigctld.WriteGetMode, 2, cancellationToken).ConfigureAwait(false);
        return new RigState(hertz, mode[0], int.TryParse(mode[1], System.Globalization.CultureInfo.InvariantCulture, out var passband) ? passband : 0);
    }

    private static void ExpectDone(string line, string command)
    {
        if (!HamlibRigctld.TryParseReport(line, out var code))
        {
            throw Unexpected(command, line);
        }

        if (code != 0)
        {
            throw new RigctldException($"rigctld refused '{command}': RPRT {code} ({HamlibRigctld.ErrorName(code)})");
        }
    }

    private static RigctldException Unexpected(string command, string line) =>
        HamlibRigctld.TryParseReport(line, out var code)
            ? new RigctldException($"rigctld refused '{command}': RPRT {code} ({HamlibRigctld.ErrorName(code)})")
            : new RigctldException($"rigctld answered '{command}' with '{line}'");

    /// <summary>Sends one command and reads <paramref name="lines"/> reply lines (fewer when the first is an <c>RPRT</c> error).</summary>
    private async Task<string[]> CommandAsync(Action<IBufferWriter<byte>> write, int lines, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReplyTimeout);
            var command = new ArrayBufferWriter<byte>();
            write(command);
            await _stream.WriteAsync(command.WrittenMemory, timeout.Token).ConfigureAwait(false);
            var reply = new List<string>();
            while (reply.Count < lines)
            {
                var result = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (reply.Count < lines)
                {
                    var status = HamlibRigctld.TryReadLine(buffer, out var line, out var consumed, out var error);
                    if (status == DecodeStatus.Invalid)
                    {
                        throw new RigctldException($"rigctld reply: {error}");
                    }

                    if (status == DecodeStatus.NeedMoreData)
                    {
                        break;
                    }

                    buffer = buffer.Slice(consumed);
                    reply.Add(line!);
                    if (reply.Count == 1 && lines > 1 && HamlibRigctld.TryParseReport(line!, out var code) && code != 0)
                    {
                        _reader.AdvanceTo(buffer.Start);
                        return [line!];
                    }
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted && reply.Count < lines)
                {
                    throw new RigctldException("rigctld closed the connection");
                }
            }

            return [.. reply];
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _oneAtATime.Dispose();
    }
}

/// <summary>PTT by CAT: rigctld's <c>T 1</c> / <c>T 0</c>. Unkeying waits for rigctld's answer whatever the caller's cancellation.</summary>
public sealed class RigctldPtt(RigctldClient rig) : IPtt
{
    public string Description => $"rigctld {rig.Endpoint}";

    public ValueTask KeyAsync(CancellationToken cancellationToken) => new(rig.SetPttAsync(true, cancellationToken));

    public ValueTask UnkeyAsync() => new(rig.SetPttAsync(false, CancellationToken.None));
}
