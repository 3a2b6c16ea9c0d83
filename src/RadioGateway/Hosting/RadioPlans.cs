using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Profiles;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Transport.Serial;

namespace RadioGateway.Hosting;

/// <summary>
/// Turns <c>Radios:N</c> settings into radio plans: loads and cross-checks the hardware and channel profiles
/// and refuses to start (before any port is opened) when anything is wrong.
/// </summary>
public static class RadioPlans
{
    public static IReadOnlyList<RadioPlan> FromSettings(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plans = new List<RadioPlan>();
        var problems = new List<ConfigurationProblem>();
        for (var index = 0; index < settings.Radios.Count; index++)
        {
            var radio = settings.Radios[index];
            var key = $"Radios:{index}";
            var hardwarePath = GatewayConfiguration.ResolvePath(radio.Profile, settings.ConfigFile);
            if (ControlStationProfiles.KindOf(hardwarePath) is not null)
            {
                continue; // a control station: ControlStations.ControlStationPlans
            }

            var hardware = ProfileLoader.LoadHardware(hardwarePath, out var hardwareProblems);
            problems.AddRange(hardwareProblems.Select(p => new ConfigurationProblem($"{key}:Profile", p.ToString())));
            if (string.IsNullOrEmpty(radio.ChannelProfile))
            {
                problems.Add(new($"{key}:ChannelProfile", "is empty; the modem needs frequencies and a colour code from a channel profile"));
                continue;
            }

            var channelPath = GatewayConfiguration.ResolvePath(radio.ChannelProfile, settings.ConfigFile);
            var channel = ProfileLoader.LoadChannel(channelPath, out var channelProblems);
            problems.AddRange(channelProblems.Select(p => new ConfigurationProblem($"{key}:ChannelProfile", p.ToString())));
            if (hardware is null || channel is null)
            {
                continue;
            }

            problems.AddRange(ProfileLoader.CrossCheck(hardware, hardwarePath, channel, channelPath).Select(p => new ConfigurationProblem($"{key}:ChannelProfile", p.ToString())));
            if (hardware.Serial is not { } serial)
            {
                problems.Add(new($"{key}:Profile", $"transport '{hardware.TransportKind}' is not supported for configured radios yet; use a serial profile (or run --simulate)"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(radio.Port))
            {
                problems.Add(new($"{key}:Port", "is empty; name the serial device, e.g. /dev/ttyACM0 or COM3, or tcp://host:port"));
                continue;
            }

            Func<CancellationToken, ValueTask<Stream>>? openLink = null;
            if (radio.Port.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
            {
                // The modem's serial line behind a TCP server (ser2net raw mode, `radiogw simulate --tcp`).
                if (!Uri.TryCreate(radio.Port, UriKind.Absolute, out var tcp) || string.IsNullOrEmpty(tcp.Host) || tcp.Port is < 1 or > 65535 || tcp.AbsolutePath is not ("" or "/"))
                {
                    problems.Add(new($"{key}:Port", $"'{radio.Port}' is not of the form tcp://host:port"));
                    continue;
                }

                openLink = cancellationToken => ConnectAsync(tcp.Host, tcp.Port, cancellationToken);
            }

            var serialSettings = new SerialPortSettings(
                radio.Port,
                serial.BaudRate,
                serial.DataBits,
                Enum.Parse<SerialParity>(serial.Parity, ignoreCase: true),
                (SerialStopBits)serial.StopBits,
                serial.Handshake == "rts-cts" ? SerialHandshake.RtsCts : SerialHandshake.None,
                serial.DtrIdle,
                serial.RtsIdle);
            if (openLink is null)
            {
                problems.AddRange(serialSettings.Validate().Select(p => new ConfigurationProblem($"{key}:Port", p)));
                openLink = _ => ValueTask.FromResult(SerialPortFactory.Open(serialSettings));
            }

            var modem = hardware.Modem;
            var session = new MmdvmSessionSettings
            {
                RadioId = radio.Name,
                Config = new MmdvmConfig(
                    modem.RxInvert,
                    modem.TxInvert,
                    modem.PttInvert,
                    Simplex: !modem.Duplex,
                    modem.TxDelayMs,
                    Percent(modem.RxLevelPercent),
                    Percent(modem.TxLevelPercent),
                    (byte)channel.ColourCode,
                    (byte)modem.DmrDelay),
                Frequency = new MmdvmFrequency((uint)channel.RxFrequencyHz, (uint)channel.TxFrequencyHz, Percent(modem.RfPowerPercent)),
                TxTimeout = TimeSpan.FromSeconds(hardware.TxTimeoutSeconds),
            };
            plans.Add(new RadioPlan(radio.Name, session, openLink, hardware.ConfirmedDataCrc9Order) { Audio = hardware.Audio });
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException(problems);
        }

        return plans;
    }

    private static async ValueTask<Stream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new System.Net.Sockets.TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return client.GetStream(); // owns the socket: disposing the stream closes the connection
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static byte Percent(int percent) => (byte)Math.Round(percent * 2.55);
}
