using RadioGateway.Core.ControlStations.Motorola;
using RadioGateway.Core.Profiles;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Hosting.ControlStations;

/// <summary>One configured control-station radio: its place in <c>Radios</c>, name and profile.</summary>
public sealed record ControlStationPlan(int Index, string Name, ControlStationProfile Profile, string? Port)
{
    /// <summary>The MOTOTRBO session settings of a <c>motorola-control-station</c> profile.</summary>
    public MotorolaStationSettings MotorolaSettings(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var motorola = Profile.Motorola ?? throw new InvalidOperationException($"{Name} is a {Profile.Kind}, not a MOTOTRBO control station");
        return new MotorolaStationSettings
        {
            RadioId = Name,
            LocalAddress = Profile.Network!.LocalAddress,
            ArsPort = motorola.ArsPort,
            LrrpPort = motorola.LrrpPort,
            TmsPort = motorola.TmsPort,
            Networks = new CaiNetworks(motorola.CaiNetwork, motorola.GroupNetwork),
            DispatcherId = (uint)settings.Gateway.RadioId,
            ArsRefreshHalfHours = motorola.ArsRefreshMinutes / 30,
            TrackingInterval = TimeSpan.FromSeconds(settings.Tracking.IntervalSeconds),
            TxTimeout = TimeSpan.FromSeconds(Profile.TxTimeoutSeconds),
        };
    }
}

/// <summary>Turns the <c>Radios:N</c> entries whose profile is a control-station kind into plans, refusing to start on any problem.</summary>
public static class ControlStationPlans
{
    public static IReadOnlyList<ControlStationPlan> FromSettings(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plans = new List<ControlStationPlan>();
        var problems = new List<ConfigurationProblem>();
        for (var index = 0; index < settings.Radios.Count; index++)
        {
            var radio = settings.Radios[index];
            var path = GatewayConfiguration.ResolvePath(radio.Profile, settings.ConfigFile);
            if (ControlStationProfiles.KindOf(path) is null)
            {
                continue;
            }

            var key = $"Radios:{index}";
            var profile = ControlStationProfiles.Load(path, out var diagnostics);
            problems.AddRange(diagnostics.Select(d => new ConfigurationProblem($"{key}:Profile", d.ToString())));
            if (profile is null)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(radio.ChannelProfile))
            {
                problems.Add(new($"{key}:ChannelProfile", $"a {profile.Kind} is programmed through its own software (CPS); remove the channel profile"));
            }

            if (profile.Kenwood is { } kenwood)
            {
                if (string.IsNullOrWhiteSpace(radio.Port))
                {
                    problems.Add(new($"{key}:Port", "is empty; name the Kenwood radio's serial device, e.g. /dev/ttyUSB0 or COM3"));
                    continue;
                }

                problems.AddRange(KenwoodSerial(radio.Port, kenwood).Validate().Select(p => new ConfigurationProblem($"{key}:Port", p)));
            }

            if (profile.Kind is ControlStationProfiles.MotorolaKind or ControlStationProfiles.HyteraKind && settings.Gateway.RadioId == 0)
            {
                problems.Add(new("Gateway:RadioId", $"is 0, but a {profile.Kind} needs the dispatcher's radio id: radios address their texts to it"));
            }

            plans.Add(new ControlStationPlan(index, radio.Name, profile, string.IsNullOrWhiteSpace(radio.Port) ? null : radio.Port));
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException(problems);
        }

        return plans;
    }

    /// <summary>The serial line of a <c>kenwood-serial</c> profile on <paramref name="port"/>.</summary>
    public static Transport.Serial.SerialPortSettings KenwoodSerial(string port, KenwoodSerialProfile kenwood)
    {
        ArgumentNullException.ThrowIfNull(kenwood);
        var serial = kenwood.Serial;
        return new Transport.Serial.SerialPortSettings(
            port,
            serial.BaudRate,
            serial.DataBits,
            Enum.Parse<Transport.Serial.SerialParity>(serial.Parity, ignoreCase: true),
            (Transport.Serial.SerialStopBits)serial.StopBits,
            serial.Handshake == "rts-cts" ? Transport.Serial.SerialHandshake.RtsCts : Transport.Serial.SerialHandshake.None,
            serial.DtrIdle,
            serial.RtsIdle);
    }
}

/// <summary>The start-up check of control stations: each one's ports must bind on its local address now.</summary>
public static class ControlStationPreflight
{
    /// <exception cref="ConfigurationProblemException">An address is on no interface, or a port is taken; names the radio and what to check.</exception>
    public static void Check(IReadOnlyList<ControlStationPlan> plans, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var problems = new List<ConfigurationProblem>();
        foreach (var plan in plans.Where(p => p.Profile.Motorola is not null))
        {
            var station = plan.MotorolaSettings(settings);
            if (!Transport.Ip.UdpServiceSocket.IsLocalAddressUp(station.LocalAddress))
            {
                problems.Add(new($"Radios:{plan.Index}:Profile", $"network.localAddress {station.LocalAddress} is on no network interface that is up: plug the control station in (USB) or configure the PC's address on its network"));
                continue;
            }

            foreach (var (port, service) in new[] { (station.ArsPort, "ARS"), (station.LrrpPort, "LRRP"), (station.TmsPort, "TMS") })
            {
                try
                {
                    Transport.Ip.UdpServiceSocket.Bind(station.LocalAddress, port, service).Dispose();
                }
                catch (IOException e)
                {
                    problems.Add(new($"Radios:{plan.Index}:Profile", e.Message));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException(problems);
        }
    }
}

/// <summary>The names of this gateway's control-station radios (<c>Radios:N:Name</c>), whose links health follows beside the modems'.</summary>
public sealed record ControlStationRadios(IReadOnlyList<string> Names);
