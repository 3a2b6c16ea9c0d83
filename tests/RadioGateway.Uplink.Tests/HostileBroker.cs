using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace RadioGateway.Uplink.Tests;

/// <summary>
/// A scripted MQTT "broker" on a free loopback port: every connection runs the script, which reads the client's
/// packets and answers as badly as a test needs. Counts connections so a test can await the reconnect.
/// </summary>
public sealed class HostileBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<HostileConnection, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<int> _connections = Channel.CreateUnbounded<int>();
    private readonly Task _accepting;
    private int _count;

    public HostileBroker(Func<HostileConnection, CancellationToken, Task> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Uri => new($"mqtt://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Completes when the <paramref name="n"/>th connection has been accepted.</summary>
    public async Task WaitForConnectionAsync(int n, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (await _connections.Reader.ReadAsync(timeout.Token) < n)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _connections.Writer.TryWrite(Interlocked.Increment(ref _count));
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await _script(new HostileConnection(client.GetStream()), _stop.Token);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException)
                        {
                            // the client left or the test ended
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>One client connection as the hostile broker sees it.</summary>
public sealed class HostileConnection(NetworkStream stream)
{
    /// <summary>MQTT 5 CONNACK, accepted, with the given raw property bytes [MQTT-3.2.2.3].</summary>
    public static byte[] ConnAck5(params byte[] properties) => [0x20, (byte)(3 + properties.Length), 0x00, 0x00, (byte)properties.Length, .. properties];

    public static readonly byte[] ConnAck311 = [0x20, 0x02, 0x00, 0x00];

    public NetworkStream Stream => stream;

    /// <summary>Reads one packet: (type, flags, body). Bodies are small in these tests.</summary>
    public async Task<(int Type, int Flags, byte[] Body)> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var first = await ReadByteAsync(cancellationToken);
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var digit = await ReadByteAsync(cancellationToken);
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (first >> 4, first & 0x0F, body);
    }

    /// <summary>Reads packets until one of <paramref name="type"/> arrives.</summary>
    public async Task<(int Type, int Flags, byte[] Body)> ReadUntilAsync(int type, CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken);
            if (packet.Type == type)
            {
                return packet;
            }
        }
    }

    public Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => stream.WriteAsync(bytes, cancellationToken).AsTask();

    private async Task<byte> ReadByteAsync(CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken);
        return one[0];
    }
}
