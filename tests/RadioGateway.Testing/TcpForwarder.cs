using System.Net;
using System.Net.Sockets;

namespace RadioGateway.Testing;

/// <summary>
/// A loopback TCP relay to a real server that a test can cut, so the client's connection dies without a
/// goodbye — as when a gateway loses power or its network.
/// </summary>
public sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stop = new();

    public TcpForwarder(int targetPort)
    {
        _listener.Start();
        _ = AcceptAsync(targetPort);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes every relayed connection and stops accepting new ones.</summary>
    public void Cut()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Client?.Close(0);
            }
        }
    }

    public void Dispose()
    {
        Cut();
        _stop.Dispose();
    }

    private async Task AcceptAsync(int targetPort)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
                lock (_connections)
                {
                    _connections.Add(inbound);
                    _connections.Add(outbound);
                }

                _ = inbound.GetStream().CopyToAsync(outbound.GetStream(), _stop.Token).ContinueWith(_ => outbound.Close(), TaskScheduler.Default);
                _ = outbound.GetStream().CopyToAsync(inbound.GetStream(), _stop.Token).ContinueWith(_ => inbound.Close(), TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // cut
        }
    }
}
