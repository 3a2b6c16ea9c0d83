using RadioGateway.Mqtt.Packets;

namespace RadioGateway.Mqtt.Session;

/// <summary>How the client reaches and identifies itself to the broker.</summary>
public sealed record MqttClientOptions
{
    /// <summary><c>mqtt://host:port</c> (default port 1883) or <c>mqtts://host:port</c> (8883).</summary>
    public required Uri Broker { get; init; }

    public MqttProtocolVersion Version { get; init; } = MqttProtocolVersion.V500;

    public required string ClientId { get; init; }

    public string? Username { get; init; }

    /// <summary>Never logged.</summary>
    public string? Password { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>False with a session expiry keeps our subscriptions and queued QoS 1 messages at the broker across reconnects.</summary>
    public bool CleanStart { get; init; }

    public uint SessionExpirySeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>Our window of unacknowledged QoS 1 publishes; the broker's Receive Maximum lowers it.</summary>
    public int MaxInFlight { get; init; } = 64;

    public int MaximumPacketSize { get; init; } = 1 << 20;

    public string? WillTopic { get; init; }

    public ReadOnlyMemory<byte> WillPayload { get; init; }

    public bool WillRetain { get; init; } = true;

    /// <summary>PEM file of the CA that signed the broker's certificate (mqtts); null uses the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM certificate presenting the gateway to the broker (mutual TLS); null for none.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>; null when the certificate file holds it.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>
    /// False: QoS 1 messages received are acknowledged only by <see cref="MqttClient.AcknowledgeAsync"/>, after the
    /// application has kept them — a crash before that makes the broker deliver them again [MQTT-4.3.2-4].
    /// </summary>
    public bool AutoAcknowledge { get; init; } = true;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int Port => Broker.IsDefaultPort || Broker.Port <= 0 ? (UseTls ? 8883 : 1883) : Broker.Port;

    public bool UseTls => Broker.Scheme == "mqtts";
}

/// <summary>The broker refused or failed a request.</summary>
public sealed class MqttRequestException(string message) : Exception(message);
