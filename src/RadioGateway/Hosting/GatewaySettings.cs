using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using RadioGateway.Core.Configuration;
using RadioGateway.Core.Roster;

namespace RadioGateway.Hosting;

/// <summary>All settings of one gateway, bound and validated before anything starts.</summary>
public sealed record GatewaySettings(
    GatewayOptions Gateway,
    MqttOptions Mqtt,
    IReadOnlyList<RadioOptions> Radios,
    ConsoleOptions Console,
    CommandOptions Commands,
    string DataDirectory,
    string? ConfigFile)
{
    /// <summary>The unit roster named by <c>Gateway:RosterFile</c>, loaded and validated at start-up.</summary>
    public UnitRoster Roster { get; init; } = UnitRoster.Empty;

    /// <summary><c>Serilog:JsonFile</c>: also write the daily JSON (CLEF) log beside the text log.</summary>
    public bool JsonLogFile { get; init; }

    /// <summary><c>Journal:*</c>: retention by age and size.</summary>
    public Core.Store.JournalRetentionOptions Journal { get; init; } = new();

    /// <summary><c>Tracking:*</c>: periodic location of every radio that registers (control stations).</summary>
    public ControlStations.TrackingOptions Tracking { get; init; } = new();

    /// <summary>APRS, audio, PTT and CAT (issue 15).</summary>
    public AudioSettings Audio { get; init; } = AudioSettings.None;

    /// <summary>Topic prefix with <c>{gatewayId}</c> filled in, always ending in '/'.</summary>
    public string TopicPrefix => Mqtt.TopicPrefix.Replace("{gatewayId}", Gateway.Id, StringComparison.Ordinal);
}

/// <summary>Binds <see cref="GatewaySettings"/> and reports every problem by key.</summary>
public static partial class GatewaySettingsLoader
{
    private static readonly string[] KnownSections = [GatewayOptions.Section, MqttOptions.Section, "Radios", ConsoleOptions.Section, "Serilog", "Logging", CommandOptions.Section, Core.Store.JournalRetentionOptions.Section, ControlStations.TrackingOptions.Section, .. AudioSections];

    // Sections earlier versions accepted and bound to nothing: refused, so nobody believes they take effect.
    private static readonly string[] IgnoredSections = ["Simulator", "Uplink", "Outbox"];

    public static GatewaySettings Load(IConfiguration configuration, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<ConfigurationProblem>();

        foreach (var section in configuration.GetChildren())
        {
            if (IgnoredSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new(section.Key, "this section sets nothing in this version; remove it"));
            }
            else if (!KnownSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase) && LooksLikeOurs(section.Key))
            {
                problems.Add(new(section.Key, $"unknown section; known sections are {string.Join(", ", KnownSections)}"));
            }
        }

        var gateway = Bind<GatewayOptions>(configuration.GetSection(GatewayOptions.Section), problems);
        var mqtt = Bind<MqttOptions>(configuration.GetSection(MqttOptions.Section), problems);
        var console = Bind<ConsoleOptions>(configuration.GetSection(ConsoleOptions.Section), problems);
        var commands = Bind<CommandOptions>(configuration.GetSection(CommandOptions.Section), problems);
        var journal = LoadJournal(configuration, problems);
        var tracking = ControlStations.TrackingOptions.Load(Bind<ControlStations.TrackingOptions>(configuration.GetSection(ControlStations.TrackingOptions.Section), problems), problems);
        var radios = configuration.GetSection("Radios").GetChildren()
            .Select((section, index) =>
            {
                var radio = Bind<RadioOptions>(section, problems);
                if (string.IsNullOrWhiteSpace(radio.Name))
                {
                    radio.Name = "radio" + section.Key;
                }

                return radio;
            })
            .ToList();

        ValidateGateway(gateway, problems);
        ValidateCommands(gateway, commands, problems);
        ValidateMqtt(mqtt, configFile, problems);
        OperatorConsole.ConsoleSettings.Validate(console, configFile, problems);
        ValidateRadios(radios, configuration.GetSection("Radios"), configFile, problems);
        var roster = LoadRoster(gateway, configFile, problems);
        var jsonLogFile = LoadSerilogSection(configuration, problems);
        var audio = LoadAudio(configuration, problems);

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException(problems);
        }

        var dataDirectory = GatewayConfiguration.ResolveDataDirectory(gateway.DataDirectory, configFile);
        return new GatewaySettings(gateway, mqtt, radios, console, commands, dataDirectory, configFile) { Roster = roster, JsonLogFile = jsonLogFile, Journal = journal, Tracking = tracking, Audio = audio };
    }

    /// <summary>
    /// <c>Serilog:JsonFile</c> and <c>Serilog:MinimumLevel</c> are the keys read; anything else under <c>Serilog</c> is
    /// refused, so nobody believes an extra sink took effect (the native build cannot load sink assemblies).
    /// </summary>
    private static bool LoadSerilogSection(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        foreach (var child in configuration.GetSection("Serilog").GetChildren())
        {
            if (!child.Path.Equals(Logging.JsonFileKey, StringComparison.OrdinalIgnoreCase) && !child.Path.Equals(Logging.MinimumLevelKey, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(child.Path, "unknown key; the gateway reads Serilog:MinimumLevel and Serilog:JsonFile (for other log destinations, ship the JSON log file)"));
            }
        }

        Logging.ReadLevels(configuration, problems);
        var value = configuration[Logging.JsonFileKey];
        if (value is null)
        {
            return false;
        }

        if (!bool.TryParse(value, out var enabled))
        {
            problems.Add(new(Logging.JsonFileKey, $"'{value}' is not a valid {Describe(typeof(bool))}"));
        }

        return enabled;
    }

    private static UnitRoster LoadRoster(GatewayOptions gateway, string? configFile, List<ConfigurationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(gateway.RosterFile))
        {
            return UnitRoster.Empty;
        }

        var path = GatewayConfiguration.ResolvePath(gateway.RosterFile, configFile);
        var roster = UnitRoster.Load(path, out var diagnostics);
        problems.AddRange(diagnostics.Select(d => new ConfigurationProblem($"{GatewayOptions.Section}:RosterFile", d.ToString())));
        return roster ?? UnitRoster.Empty;
    }

    /// <summary>Binds the section's keys onto a new <typeparamref name="T"/>, reporting unknown keys and bad values.</summary>
    private static T Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IConfigurationSection section, List<ConfigurationProblem> problems)
        where T : new()
    {
        var target = new T();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                problems.Add(new(child.Path, "unknown key" + DidYouMean.Hint(child.Key, properties.Keys, key => $"{section.Path}:{key}")));
                continue;
            }

            if (child.Value is null)
            {
                problems.Add(new(child.Path, $"expected a single value, found a section"));
                continue;
            }

            try
            {
                property.SetValue(target, Convert(child.Value, property.PropertyType));
            }
            catch (FormatException)
            {
                problems.Add(new(child.Path, $"'{child.Value}' is not a valid {Describe(property.PropertyType)}"));
            }
            catch (OverflowException)
            {
                problems.Add(new(child.Path, $"'{child.Value}' is out of range for a {Describe(property.PropertyType)}"));
            }
        }

        return target;
    }

    private static object Convert(string value, Type type) => type switch
    {
        _ when type == typeof(string) => value,
        _ when type == typeof(int) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ when type == typeof(bool) => bool.TryParse(value, out var b) ? b : throw new FormatException(),
        _ => throw new FormatException(),
    };

    private static string Describe(Type type) => type == typeof(int) ? "whole number" : type == typeof(bool) ? "boolean (true/false)" : "string";

    private static void ValidateCommands(GatewayOptions gateway, CommandOptions commands, List<ConfigurationProblem> problems)
    {
        if (gateway.RadioId is < 0 or > (int)UnitRoster.MaxUnitId)
        {
            problems.Add(new("Gateway:RadioId", $"{gateway.RadioId} is not a DMR id 1–{UnitRoster.MaxUnitId} (0 = receive only)"));
        }

        foreach (var (key, value, min, max) in new[]
        {
            ("AnswerTimeoutSeconds", commands.AnswerTimeoutSeconds, 1, 600),
            ("DefaultLifetimeSeconds", commands.DefaultLifetimeSeconds, 10, 3600),
            ("MaxPerUnitPerMinute", commands.MaxPerUnitPerMinute, 1, 60),
            ("MaxPerMinute", commands.MaxPerMinute, 1, 600),
            ("MaxDutyCyclePercent", commands.MaxDutyCyclePercent, 1, 100),
        })
        {
            if (value < min || value > max)
            {
                problems.Add(new($"{CommandOptions.Section}:{key}", $"{value} is outside {min}–{max}"));
            }
        }
    }

    private static void ValidateGateway(GatewayOptions gateway, List<ConfigurationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(gateway.Id))
        {
            problems.Add(new("Gateway:Id", "is empty; set it to this centre's gateway name, e.g. 'tehran-1'"));
        }
        else if (!GatewayIdPattern().IsMatch(gateway.Id))
        {
            problems.Add(new("Gateway:Id", $"'{gateway.Id}' may only contain letters, digits, '.', '_' and '-' (1–64 characters): it becomes part of MQTT topics"));
        }

        if (string.IsNullOrWhiteSpace(gateway.DataDirectory))
        {
            problems.Add(new("Gateway:DataDirectory", "is empty; the journal and outbox need a folder"));
        }
    }

    private static void ValidateMqtt(MqttOptions mqtt, string? configFile, List<ConfigurationProblem> problems)
    {
        if (mqtt.ProtocolVersion is not ("5" or "3.1.1"))
        {
            problems.Add(new("Mqtt:ProtocolVersion", $"'{mqtt.ProtocolVersion}' is not supported; use '5' or '3.1.1'"));
        }

        if (mqtt.TopicPrefix.Contains('+', StringComparison.Ordinal) || mqtt.TopicPrefix.Contains('#', StringComparison.Ordinal) || !mqtt.TopicPrefix.EndsWith('/'))
        {
            problems.Add(new("Mqtt:TopicPrefix", $"'{mqtt.TopicPrefix}' must end with '/' and contain no wildcard '+' or '#' [MQTT-4.7.0-1]"));
        }

        if (mqtt.KeepAliveSeconds is < 0 or > ushort.MaxValue)
        {
            problems.Add(new("Mqtt:KeepAliveSeconds", $"{mqtt.KeepAliveSeconds} is outside 0–65535"));
        }

        if (mqtt.MaxInFlight is < 1 or > ushort.MaxValue)
        {
            problems.Add(new("Mqtt:MaxInFlight", $"{mqtt.MaxInFlight} is outside 1–65535"));
        }

        if (mqtt.SessionExpirySeconds < 0)
        {
            problems.Add(new("Mqtt:SessionExpirySeconds", $"{mqtt.SessionExpirySeconds} is negative"));
        }

        if (mqtt.MaximumPacketSize is < 1024 or > 268_435_455)
        {
            problems.Add(new("Mqtt:MaximumPacketSize", $"{mqtt.MaximumPacketSize} is outside 1024–268435455 [MQTT-2.2.3]"));
        }

        if (mqtt.AcknowledgeTimeoutSeconds < 1)
        {
            problems.Add(new("Mqtt:AcknowledgeTimeoutSeconds", $"{mqtt.AcknowledgeTimeoutSeconds} is below 1"));
        }

        var missing = false;
        foreach (var (key, file) in new[] { ("Mqtt:PasswordFile", mqtt.PasswordFile), ("Mqtt:CaFile", mqtt.CaFile), ("Mqtt:ClientCertificateFile", mqtt.ClientCertificateFile), ("Mqtt:ClientKeyFile", mqtt.ClientKeyFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(GatewayConfiguration.ResolvePath(file, configFile)))
            {
                problems.Add(new(key, $"file '{GatewayConfiguration.ResolvePath(file, configFile)}' does not exist"));
                missing = true;
            }
        }

        // TLS files are read now, so a garbage PEM stops start-up instead of failing every connection attempt later.
        if (!missing && !string.IsNullOrEmpty(mqtt.CaFile))
        {
            try
            {
                foreach (var authority in Uplink.TlsFiles.LoadAuthorities(GatewayConfiguration.ResolvePath(mqtt.CaFile, configFile)))
                {
                    authority.Dispose();
                }
            }
            catch (InvalidDataException e)
            {
                problems.Add(new("Mqtt:CaFile", e.Message));
            }
        }

        if (!missing && !string.IsNullOrEmpty(mqtt.ClientCertificateFile))
        {
            try
            {
                Uplink.TlsFiles.LoadClientCertificate(
                    GatewayConfiguration.ResolvePath(mqtt.ClientCertificateFile, configFile),
                    string.IsNullOrEmpty(mqtt.ClientKeyFile) ? null : GatewayConfiguration.ResolvePath(mqtt.ClientKeyFile, configFile)).Dispose();
            }
            catch (InvalidDataException e)
            {
                problems.Add(new("Mqtt:ClientCertificateFile", e.Message));
            }
        }
        else if (!string.IsNullOrEmpty(mqtt.ClientKeyFile) && string.IsNullOrEmpty(mqtt.ClientCertificateFile))
        {
            problems.Add(new("Mqtt:ClientKeyFile", "is set but Mqtt:ClientCertificateFile is empty"));
        }

        if (string.IsNullOrEmpty(mqtt.Broker))
        {
            return;
        }

        if (!Uri.TryCreate(mqtt.Broker, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(uri.Host))
        {
            problems.Add(new("Mqtt:Broker", $"'{WithoutUserInfo(mqtt.Broker)}' is not of the form mqtt://host:port or mqtts://host:port"));
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            // The URI is logged and shown in status; a password inside it would be too.
            problems.Add(new("Mqtt:Broker", $"'{WithoutUserInfo(mqtt.Broker)}' carries a user name or password: put them in Mqtt:Username and Mqtt:PasswordFile"));
            return;
        }

        if (uri.Scheme == "mqtt" && !mqtt.AllowInsecure && !IsLoopback(uri.Host))
        {
            problems.Add(new("Mqtt:Broker", $"refusing plain TCP to '{uri.Host}', which is not this machine: events and credentials would cross the network unencrypted. Use mqtts:// or set Mqtt:AllowInsecure=true"));
        }

        if (!string.IsNullOrEmpty(mqtt.Username) && string.IsNullOrEmpty(mqtt.PasswordFile))
        {
            problems.Add(new("Mqtt:PasswordFile", "is empty but Mqtt:Username is set; put the password in a file readable only by the service"));
        }
    }

    private static void ValidateRadios(List<RadioOptions> radios, IConfigurationSection section, string? configFile, List<ConfigurationProblem> problems)
    {
        var index = 0;
        foreach (var child in section.GetChildren())
        {
            var radio = radios[index++];
            if (string.IsNullOrWhiteSpace(radio.Profile))
            {
                problems.Add(new($"{child.Path}:Profile", "is empty; name a hardware profile file (see hardware-profiles/)"));
            }
            else if (!File.Exists(GatewayConfiguration.ResolvePath(radio.Profile, configFile)))
            {
                problems.Add(new($"{child.Path}:Profile", $"file '{GatewayConfiguration.ResolvePath(radio.Profile, configFile)}' does not exist"));
            }

            if (!string.IsNullOrEmpty(radio.ChannelProfile) && !File.Exists(GatewayConfiguration.ResolvePath(radio.ChannelProfile, configFile)))
            {
                problems.Add(new($"{child.Path}:ChannelProfile", $"file '{GatewayConfiguration.ResolvePath(radio.ChannelProfile, configFile)}' does not exist"));
            }
        }

        foreach (var duplicate in radios.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(new("Radios", $"name '{duplicate.Key}' is used by more than one radio"));
        }
    }

    /// <summary>The broker URI with anything between "//" and "@" replaced, so no password reaches a message.</summary>
    private static string WithoutUserInfo(string broker) => UserInfoPattern().Replace(broker, "//***@");

    [GeneratedRegex("//[^/@]*@")]
    private static partial Regex UserInfoPattern();

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Sections from other tools (e.g. ASP.NET's "AllowedHosts") are ignored; only capitalised single words that look like ours are checked.</summary>
    private static bool LooksLikeOurs(string key) => DidYouMean.Closest(key, KnownSections) is not null;

    /// <summary>Whether <paramref name="id"/> may be a gateway id (it becomes a topic level).</summary>
    public static bool IsValidGatewayId(string id) => GatewayIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex GatewayIdPattern();
}
