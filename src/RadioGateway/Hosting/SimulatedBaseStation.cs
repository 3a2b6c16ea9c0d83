using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.InProcess;

namespace RadioGateway.Hosting;

/// <summary><c>run --simulate</c>: the simulated MMDVM base station on the far end of an in-process link.</summary>
public static class SimulatedBaseStation
{
    public const string RadioId = "sim";
    public const byte ColourCode = 1;

    /// <summary>The simulated field units by their aliases, MOTOTRBO or Hytera as the simulator has them.</summary>
    public static UnitRoster Roster { get; } = UnitRoster.From(
        Scenario.DefaultUnits.Select(u => new RosterUnit(u.Id, u.Alias, Team: null, Vehicle: null, Centre: null, Scenario.DefaultHyteraUnits.Contains(u.Id) ? UnitDataProtocol.Hytera : UnitDataProtocol.Motorola)));

    /// <param name="scenario">What the field radios do; the default scenario (randomly seeded) when null.</param>
    public static RadioPlan Plan(TimeProvider time, ILoggerFactory loggers, Scenario? scenario = null)
    {
        var session = new MmdvmSessionSettings
        {
            RadioId = RadioId,
            Config = new MmdvmConfig(RxInvert: false, TxInvert: false, PttInvert: false, Simplex: false, TxDelayMs: 100, RxLevel: 50, TxLevel: 50, ColourCode, DmrDelay: 0),
            Frequency = new MmdvmFrequency(430_375_000, 438_975_000, 255),
        };
        // The calls sound on the simulated air, recorded as a sound card's receive audio would be.
        var air = new SimulatedAir(time);
        return new RadioPlan(RadioId, session, _ =>
        {
            var (host, device) = InProcessLink.CreatePair();
            var modem = new SimulatedMmdvmModem(scenario ?? Scenario.Default(seed: Environment.TickCount), new SimulatedModemOptions { ColourCode = ColourCode, Air = air }, time, loggers.CreateLogger<SimulatedMmdvmModem>());
            // The modem runs until the gateway closes its end of the link, as a real board stays powered.
            modem.RunAsync(device, CancellationToken.None).ContinueWith(finished => device.Dispose(), TaskScheduler.Default);
            return ValueTask.FromResult(host);
        }) { SimulatedAir = air };
    }
}
