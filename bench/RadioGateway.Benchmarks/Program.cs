using System.Globalization;
using BenchmarkDotNet.Running;
using RadioGateway.Benchmarks;

// `uplink [count]`: the outbox-over-MQTT measurements against a real mosquitto.
// Anything else goes to BenchmarkDotNet (e.g. `--filter *ReplayMarking*`; `--filter *DmrDecode*` for the DMR
// receive decode per burst over a recorded simulator mix).
// Figures print alike on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["uplink", ..])
{
    return await UplinkBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
