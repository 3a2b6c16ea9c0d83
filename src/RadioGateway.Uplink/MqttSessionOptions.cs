using MQTTnet.Formatter;

namespace RadioGateway.Uplink;

/// <summary>One broker connection: where, who, how safely, and how patiently.</summary>
public sealed record MqttSessionOptions
{
    /// <summary><c>mqtt://host:port</c> or <c>mqtts://host:port</c> (TLS; default ports 1883 and 8883).</summary>
    public required Uri Broker { get; init; }

    public MqttProtocolVersion Version { get; init; } = MqttProtocolVersion.V500;

    public required string ClientId { get; init; }

    public string? Username { get; init; }

    /// <summary>Never logged.</summary>
    public string? Password { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>False keeps the session (subscriptions and queued QoS 1 messages) across reconnects [MQTT-3.1.2-5].</summary>
    public bool CleanStart { get; init; }

    /// <summary>MQTT 5 session expiry; on 3.1.1 a persistent session lasts as long as the broker keeps it.</summary>
    public uint SessionExpirySeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>Our cap on QoS 1 publishes awaiting PUBACK; the broker's Receive Maximum lowers it further.</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>Largest packet we accept; sent as Maximum Packet Size on MQTT 5 and enforced on every version.</summary>
    public int MaximumPacketSize { get; init; } = 256 * 1024;

    public string? WillTopic { get; init; }

    public ReadOnlyMemory<byte> WillPayload { get; init; }

    public bool WillRetain { get; init; } = true;

    /// <summary>PEM file of the CA that signed the broker's certificate; null trusts the system store.</summary>
    public string? CaFile { get; init; }

    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a QoS 1 publish may wait for its PUBACK before the connection is given up and remade.</summary>
    public TimeSpan AcknowledgeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts, jitter included.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int Port => Broker.IsDefaultPort || Broker.Port <= 0 ? (UseTls ? 8883 : 1883) : Broker.Port;

    public bool UseTls => Broker.Scheme == "mqtts";
}
