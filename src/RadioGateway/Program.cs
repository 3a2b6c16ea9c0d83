using RadioGateway.Cli;

return await GatewayCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
