namespace RadioGateway.Hosting;

/// <summary><c>Gateway:*</c> — who this gateway is and where it keeps its data.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Gateway id, used in MQTT topics and CloudEvents <c>source</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Folder for the journal/outbox database and logs; relative paths are resolved against the base directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>This gateway's own DMR id, the source of everything it transmits; 0 = receive only (commands are refused).</summary>
    public int RadioId { get; set; }

    /// <summary>Unit roster (JSON): radio ids → names, team, vehicle, centre, data protocol. Empty: ids only.</summary>
    public string RosterFile { get; set; } = "";
}

/// <summary><c>Mqtt:*</c> — the uplink to the central system.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary><c>mqtt://host:port</c> or <c>mqtts://host:port</c>; empty means no uplink (events queue in the outbox).</summary>
    public string Broker { get; set; } = "";

    /// <summary><c>5</c> or <c>3.1.1</c>.</summary>
    public string ProtocolVersion { get; set; } = "5";

    /// <summary>Topic prefix; <c>{gatewayId}</c> is replaced by <c>Gateway:Id</c>.</summary>
    public string TopicPrefix { get; set; } = "radiogw/v1/{gatewayId}/";

    public string ClientId { get; set; } = "";

    public string Username { get; set; } = "";

    /// <summary>File holding the password (first line). The password itself never appears in configuration or logs.</summary>
    public string PasswordFile { get; set; } = "";

    /// <summary>PEM file of the CA that signed the broker certificate; empty uses the system store.</summary>
    public string CaFile { get; set; } = "";

    public string ClientCertificateFile { get; set; } = "";

    public string ClientKeyFile { get; set; } = "";

    /// <summary>Allows plain TCP to a broker that is not on loopback.</summary>
    public bool AllowInsecure { get; set; }

    public int KeepAliveSeconds { get; set; } = 30;

    public int SessionExpirySeconds { get; set; } = 7 * 24 * 3600;

    public int MaxInFlight { get; set; } = 64;

    /// <summary>Largest MQTT packet the gateway accepts (told to an MQTT 5 broker; larger commands are acknowledged and dropped).</summary>
    public int MaximumPacketSize { get; set; } = 256 * 1024;

    /// <summary>How long a publish may wait for its PUBACK before the connection is remade.</summary>
    public int AcknowledgeTimeoutSeconds { get; set; } = 15;
}

/// <summary><c>Radios:N:*</c> — one base station.</summary>
public sealed class RadioOptions
{
    /// <summary>Name used in logs and events; defaults to <c>radio{N}</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Hardware profile file.</summary>
    public string Profile { get; set; } = "";

    /// <summary>Serial device (<c>/dev/ttyACM0</c>, <c>COM3</c>) or <c>tcp://host:port</c>.</summary>
    public string Port { get; set; } = "";

    /// <summary>Channel profile file.</summary>
    public string ChannelProfile { get; set; } = "";
}

/// <summary><c>Console:*</c> — the operator console.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Where the console listens, <c>;</c>-separated: <c>http://127.0.0.1:8080</c> by default; empty turns the console off.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Allows plain HTTP on an address that is not loopback (passwords and cookies would cross the network unencrypted).</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>PEM certificate for <c>https://</c> URLs.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>PEM private key of <see cref="CertificateFile"/> (empty when the certificate file holds it).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>Offline map tiles: a PMTiles file; empty shows country outlines and a graticule.</summary>
    public string MapFile { get; set; } = "";

    /// <summary>JSON array of ready-made texts offered in the console's send box.</summary>
    public string CannedMessagesFile { get; set; } = "";
}

/// <summary><c>Commands:*</c> — downlink commands and transmitter protection.</summary>
public sealed class CommandOptions
{
    public const string Section = "Commands";

    /// <summary>How long a radio has to answer before the command fails with <c>timeout</c>.</summary>
    public int AnswerTimeoutSeconds { get; set; } = 20;

    /// <summary>How long a command without <c>expiresAt</c> may wait for the channel.</summary>
    public int DefaultLifetimeSeconds { get; set; } = 300;

    public int MaxPerUnitPerMinute { get; set; } = 4;

    public int MaxPerMinute { get; set; } = 20;

    /// <summary>Transmit duty cycle over 10 minutes, in percent.</summary>
    public int MaxDutyCyclePercent { get; set; } = 25;
}
