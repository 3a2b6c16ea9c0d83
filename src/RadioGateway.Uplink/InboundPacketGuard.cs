using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace RadioGateway.Uplink;

/// <summary>
/// Builds MQTTnet's channel adapter as its own factory does, with the TCP channel behind an <see cref="InboundPacketGuard"/>.
/// </summary>
internal sealed class GuardedAdapterFactory(int maximumPacketSize, Action<string, long> oversizedPublish) : IMqttClientAdapterFactory
{
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channel = new InboundPacketGuard(new MqttTcpChannel(options), maximumPacketSize, options.ProtocolVersion, oversizedPublish);
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        return new MqttChannelAdapter(channel, formatter, logger) { AllowPacketFragmentation = options.AllowPacketFragmentation, PacketInspector = packetInspector };
    }
}

/// <summary>
/// Bounds what the broker may make us allocate. MQTTnet allocates each incoming packet's body at the length its
/// fixed header announces (up to 256 MB, [MQTT-2.2.3]) before reading it, so this channel reads the fixed headers
/// first:
/// <list type="bullet">
/// <item>a PUBLISH longer than the limit is read and dropped, and MQTTnet gets a stub in its place (same flags,
/// topic and packet id, no payload), so it is acknowledged and the broker does not deliver it again on every
/// reconnect (MQTT 3.1.1 has no way to tell the broker our limit; on 5.0 CONNECT's Maximum Packet Size does);</item>
/// <item>any other packet longer than the limit fails the read with <see cref="MqttProtocolViolationException"/>.</item>
/// </list>
/// </summary>
internal sealed class InboundPacketGuard : IMqttChannel
{
    private const int PublishType = 3;

    private readonly IMqttChannel _inner;
    private readonly int _limit;
    private readonly bool _v5;
    private readonly Action<string, long> _oversizedPublish;
    private readonly byte[] _header = new byte[5];
    private readonly byte[] _one = new byte[1];
    private readonly byte[] _discard = new byte[4096];
    private int _headerLength;
    private long _passThrough;
    // Bytes owed to MQTTnet before anything more is read: a passed header (in _header) or a stub.
    private ReadOnlyMemory<byte> _owed;

    public InboundPacketGuard(IMqttChannel inner, int limit, MqttProtocolVersion version, Action<string, long> oversizedPublish)
    {
        _inner = inner;
        _limit = limit;
        _v5 = version == MqttProtocolVersion.V500;
        _oversizedPublish = oversizedPublish;
    }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public void Dispose() => _inner.Dispose();

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_owed.IsEmpty)
            {
                var n = Math.Min(count, _owed.Length);
                _owed.Span[..n].CopyTo(buffer.AsSpan(offset));
                _owed = _owed[n..];
                return n;
            }

            if (_passThrough > 0)
            {
                var read = await _inner.ReadAsync(buffer, offset, (int)Math.Min(count, _passThrough), cancellationToken).ConfigureAwait(false);
                _passThrough -= read;
                return read;
            }

            // A fixed header: type and flags, then the Remaining Length as a variable byte integer [MQTT-1.5.5].
            if (!await ReadExactlyAsync(_one, 1, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            _header[_headerLength++] = _one[0];
            if (_headerLength == 1 || (_one[0] & 0x80) != 0)
            {
                if (_headerLength == 5)
                {
                    throw new MqttProtocolViolationException("The broker sent a malformed Remaining Length (more than four bytes) [MQTT-1.5.5].");
                }

                continue;
            }

            var remaining = RemainingLength(_header.AsSpan(1, _headerLength - 1));
            if (remaining + _headerLength <= _limit)
            {
                // _header is not read again until these bytes and the body have passed.
                _passThrough = remaining;
                _owed = _header.AsMemory(0, _headerLength);
                _headerLength = 0;
                continue;
            }

            var type = _header[0] >> 4;
            if (type != PublishType)
            {
                throw new MqttProtocolViolationException($"The broker announced a packet of type {type} with {remaining} bytes, more than the {_limit} bytes this gateway accepts (Mqtt:MaximumPacketSize).");
            }

            var stub = await ReadPublishStubAsync(_header[0], remaining, cancellationToken).ConfigureAwait(false);
            _headerLength = 0;
            if (stub is null)
            {
                return 0;
            }

            _owed = stub;
        }
    }

    private static long RemainingLength(ReadOnlySpan<byte> encoded)
    {
        long value = 0;
        for (var i = encoded.Length - 1; i >= 0; i--)
        {
            value = (value << 7) | (encoded[i] & 0x7Fu);
        }

        return value;
    }

    // Keeps topic and packet id of an oversized PUBLISH, drops the rest, and returns a PUBLISH without payload.
    private async Task<byte[]?> ReadPublishStubAsync(byte flags, long remaining, CancellationToken cancellationToken)
    {
        var qos = (flags >> 1) & 3;
        var topicLength = new byte[2];
        if (remaining < 2 || !await ReadExactlyAsync(topicLength, 2, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // The topic (at most 65,535 bytes [MQTT-1.5.4]) and the packet id for QoS 1 and 2 [MQTT-3.3.2.2].
        var kept = 2 + BinaryPrimitives.ReadUInt16BigEndian(topicLength) + (qos > 0 ? 2 : 0);
        if (kept > remaining)
        {
            throw new MqttProtocolViolationException($"The broker sent a PUBLISH whose topic runs past its {remaining} bytes.");
        }

        var variableHeader = new byte[kept + (_v5 ? 1 : 0)]; // MQTT 5: an empty property list [MQTT-3.3.2.3]
        topicLength.CopyTo(variableHeader, 0);
        if (!await ReadExactlyAsync(variableHeader, 2, kept - 2, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        for (var left = remaining - kept; left > 0;)
        {
            var read = await _inner.ReadAsync(_discard, 0, (int)Math.Min(_discard.Length, left), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            left -= read;
        }

        _oversizedPublish(Encoding.UTF8.GetString(variableHeader, 2, kept - 2 - (qos > 0 ? 2 : 0)), remaining);
        var stub = new byte[1 + VariableByteIntegerLength(variableHeader.Length) + variableHeader.Length];
        stub[0] = flags;
        var at = 1;
        var value = variableHeader.Length;
        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            stub[at++] = value > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (value > 0);

        variableHeader.CopyTo(stub, at);
        return stub;
    }

    private static int VariableByteIntegerLength(int value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : 3;

    private Task<bool> ReadExactlyAsync(byte[] buffer, int count, CancellationToken cancellationToken) =>
        ReadExactlyAsync(buffer, 0, count, cancellationToken);

    private async Task<bool> ReadExactlyAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        for (var done = 0; done < count;)
        {
            var read = await _inner.ReadAsync(buffer, offset + done, count - done, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            done += read;
        }

        return true;
    }
}
