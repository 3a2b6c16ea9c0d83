using System.CommandLine;
using RadioGateway.Cli;

var parse = GatewayCommandLine.Create().Parse(args);

// `run` leaves SIGTERM and Ctrl-C to the host's lifetime (console, systemd, Windows service), which stops every
// service in order. System.CommandLine's own handler, if also registered, ends the process with 143 when the
// signal comes in the first moments after start, before the journal has closed.
var invocation = new InvocationConfiguration
{
    ProcessTerminationTimeout = parse.CommandResult.Command.Name == "run" ? null : TimeSpan.FromSeconds(2),
};
return await parse.InvokeAsync(invocation).ConfigureAwait(false);
