using BenchmarkDotNet.Running;
using RadioGateway.Benchmarks;

// `uplink`: the outbox-over-MQTT measurements against a real mosquitto; anything else: BenchmarkDotNet.
if (args is ["uplink", ..])
{
    return await UplinkBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
