using System.CommandLine;
using RadioGateway.Cli;

var parse = GatewayCommandLine.Create().Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad arguments exit 2, as bad settings do; one line each, then where to look.
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"radiogw: {error.Message}").ConfigureAwait(false);
    }

    var verb = new List<string>();
    for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
    {
        verb.Insert(0, command.Command.Name);
    }

    await Console.Error.WriteLineAsync($"radiogw: see '{string.Join(' ', verb)} --help'").ConfigureAwait(false);
    return GatewayCommandLine.ConfigurationError;
}

var invocation = new InvocationConfiguration
{
    // `run` and the fleet view (`console`) leave SIGTERM and Ctrl-C to the host's lifetime (console, systemd, Windows service), which stops every
    // service in order. System.CommandLine's own handler, if also registered, ends the process with 143 when the
    // signal comes in the first moments after start, before the journal has closed.
    ProcessTerminationTimeout = parse.CommandResult.Command.Name is "run" or "console" ? null : TimeSpan.FromSeconds(2),

    // Its default handler prints the stack trace to the user; ours prints one line and keeps the trace in a file.
    EnableDefaultExceptionHandler = false,
};
try
{
    return await parse.InvokeAsync(invocation).ConfigureAwait(false);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    return await UnexpectedError.ReportAsync(e, parse.CommandResult.Command.Name).ConfigureAwait(false);
}
