using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace RadioGateway.Transport.Ip;

/// <summary>A UDP socket bound to one local address and service port, as an application server behind a control-station radio.</summary>
public sealed class UdpServiceSocket : IDisposable
{
    private const int MaxDatagram = 65_507;
    private readonly Socket _socket;
    private readonly byte[] _receiveBuffer = new byte[MaxDatagram];

    private UdpServiceSocket(Socket socket, string service)
    {
        _socket = socket;
        Service = service;
    }

    /// <summary>The service this socket serves (<c>ARS</c>, <c>LRRP</c>, …), for errors and logs.</summary>
    public string Service { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds <paramref name="local"/>:<paramref name="port"/>.</summary>
    /// <exception cref="IOException">The address is on no interface of this machine, or the port is taken; the message says which and what to check.</exception>
    public static UdpServiceSocket Bind(IPAddress local, int port, string service)
    {
        ArgumentNullException.ThrowIfNull(local);
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(local, port));
            return new UdpServiceSocket(socket, service);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable => $"{local} is not an address of this machine: is the control station plugged in and its network interface up?",
                SocketError.AddressAlreadyInUse => $"UDP port {port} on {local} is used by another program (another gateway, or the radio vendor's dispatch software?)",
                SocketError.AccessDenied => $"not allowed to bind UDP port {port} on {local}",
                _ => e.Message,
            };
            throw new IOException($"cannot bind {service} on UDP {local}:{port}: {why}", e);
        }
    }

    /// <summary>Whether <paramref name="local"/> is assigned to a network interface that is up (a USB control station's interface vanishes when it is unplugged).</summary>
    public static bool IsLocalAddressUp(IPAddress local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (IPAddress.IsLoopback(local))
        {
            return true;
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .Any(n => n.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(local)));
    }

    /// <summary>Waits for one datagram; returns its octets and sender.</summary>
    public async ValueTask<(byte[] Payload, IPEndPoint From)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var anyAddress = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var result = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, new IPEndPoint(anyAddress, 0), cancellationToken).ConfigureAwait(false);
        return (_receiveBuffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await _socket.SendToAsync(payload, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _socket.Dispose();
}
