using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Hosting;
using MQTTnet.Protocol;
using RadioGateway.Uplink;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw send text|locate|radio-check|announce …</c>: publishes a command to the broker as the central system would
/// and prints each <c>command-result</c> for it (JSON lines) until it is delivered or failed.
/// Exit code 0 delivered (or transmitted, for a group text nobody acknowledges), 1 failed, 2 bad arguments or settings, 3 no final result in time, 4 broker not reachable.
/// </summary>
public static class SendCommand
{
    public const int Failed = 1;
    public const int NoResult = 3;
    public const int Unreachable = 4;

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Mqtt:Broker, Gateway:Id and credentials", Recursive = true };
        var broker = new Option<string?>("--broker") { Description = "mqtt://host:port (default: Mqtt:Broker)", Recursive = true };
        var gateway = new Option<string?>("--gateway") { Description = "Gateway id to command (default: Gateway:Id)", Recursive = true };
        var id = new Option<string?>("--id") { Description = "Command id (default: a new one)", Recursive = true };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the final result", DefaultValueFactory = _ => 60, Recursive = true };
        var expires = new Option<int?>("--expires") { Description = "Seconds the command may wait for the channel", Recursive = true };

        var to = new Option<uint>("--to") { Description = "Unit or talk-group id", Required = true };
        var group = new Option<bool>("--group") { Description = "--to is a talk-group" };
        var text = new Option<string>("--text") { Description = "The message (Unicode; Persian is fine)", Required = true };
        var textCommand = new Command("text", "Send a text message to a unit or talk-group") { to, group, text };

        var unit = new Option<uint>("--unit") { Description = "Unit id", Required = true };
        var interval = new Option<int>("--interval") { Description = "Report every N seconds (0: once)" };
        var stop = new Option<bool>("--stop") { Description = "End periodic reporting" };
        var locate = new Command("locate", "Ask a unit for its position") { unit, interval, stop };

        var checkUnit = new Option<uint>("--unit") { Description = "Unit id", Required = true };
        var radioCheck = new Command("radio-check", "Check that a unit's radio answers") { checkUnit };

        var announceTo = new Option<uint>("--to") { Description = "Unit or talk-group id the announcement is for", Required = true };
        var announceGroup = new Option<bool>("--group") { Description = "--to is a talk-group" };
        var announceText = new Option<string?>("--text") { Description = "Text to speak (espeak-ng)" };
        var announceVoice = new Option<string>("--voice") { Description = "espeak-ng voice: fa or en", DefaultValueFactory = _ => "fa" };
        var announceFile = new Option<string?>("--file") { Description = "A .wav file name in the gateway's announcements directory, instead of --text" };
        var announce = new Command("announce", "Speak a text or play a stored file on the air (PTT keyed by the radio's audio profile)") { announceTo, announceGroup, announceText, announceVoice, announceFile };
        announce.SetAction((parse, ct) => RunAsync(parse, config, broker, gateway, id, wait, expires, "announce", new JsonObject
        {
            ["to"] = new JsonObject { ["id"] = parse.GetValue(announceTo), ["type"] = parse.GetValue(announceGroup) ? "group" : "unit" },
            [parse.GetValue(announceFile) is null ? "text" : "audioFile"] = parse.GetValue(announceFile) ?? parse.GetValue(announceText) ?? "",
            ["voice"] = parse.GetValue(announceVoice)!,
        }, finalOnTransmitted: true, ct));

        textCommand.SetAction((parse, ct) => RunAsync(parse, config, broker, gateway, id, wait, expires, "text", new JsonObject
        {
            ["to"] = new JsonObject { ["id"] = parse.GetValue(to), ["type"] = parse.GetValue(group) ? "group" : "unit" },
            ["text"] = parse.GetValue(text)!,
        }, finalOnTransmitted: parse.GetValue(group), ct));
        locate.SetAction((parse, ct) => RunAsync(parse, config, broker, gateway, id, wait, expires, "locate", new JsonObject
        {
            ["unit"] = parse.GetValue(unit),
            ["intervalSeconds"] = parse.GetValue(interval),
            ["stop"] = parse.GetValue(stop),
        }, finalOnTransmitted: false, ct));
        radioCheck.SetAction((parse, ct) => RunAsync(parse, config, broker, gateway, id, wait, expires, "radio-check", new JsonObject
        {
            ["unit"] = parse.GetValue(checkUnit),
        }, finalOnTransmitted: false, ct));

        foreach (var verb in new[] { textCommand, locate, radioCheck, announce })
        {
            verb.TreatUnmatchedTokensAsErrors = false;
        }

        return new Command("send", "Send a command to a gateway through the broker and print its results") { config, broker, gateway, id, wait, expires, textCommand, locate, radioCheck, announce };
    }

    private static async Task<int> RunAsync(
        ParseResult parse,
        Option<FileInfo?> config,
        Option<string?> brokerOption,
        Option<string?> gatewayOption,
        Option<string?> idOption,
        Option<int> waitOption,
        Option<int?> expiresOption,
        string kind,
        JsonObject data,
        bool finalOnTransmitted,
        CancellationToken cancellationToken)
    {
        var configFile = parse.GetValue(config)?.FullName;

        // --broker and --gateway go through the same checks as the settings they stand for (a URI that does not
        // parse, plain mqtt:// to another host, a gateway id with a topic separator).
        var overrides = parse.UnmatchedTokens.ToList();
        if (parse.GetValue(brokerOption) is { } brokerUri)
        {
            overrides.Add($"--{MqttOptions.Section}:Broker={brokerUri}");
        }

        if (parse.GetValue(gatewayOption) is { } gatewayId)
        {
            overrides.Add($"--{GatewayOptions.Section}:Id={gatewayId}");
        }

        GatewaySettings settings;
        try
        {
            settings = GatewaySettingsLoader.Load(GatewayConfiguration.Build(configFile, overrides), configFile);
        }
        catch (ConfigurationProblemException e)
        {
            return await GatewayCommandLine.ReportAsync(e).ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(settings.Mqtt.Broker))
        {
            await Console.Error.WriteLineAsync("radiogw: no broker: give --broker mqtt://host:port or set Mqtt:Broker").ConfigureAwait(false);
            return GatewayCommandLine.ConfigurationError;
        }

        var commandId = parse.GetValue(idOption) ?? "cmd-" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow;
        if (parse.GetValue(expiresOption) is { } seconds)
        {
            data["expiresAt"] = EventJson.FormatTime(now.AddSeconds(seconds));
        }

        var command = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = commandId,
            ["source"] = "radiogw/send",
            ["type"] = "radiogw.command." + kind,
            ["time"] = EventJson.FormatTime(now),
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        }.ToJsonString(EventJson.Options));

        var options = MqttUplinkService.SessionOptions(settings, "radiogw-send-" + Guid.NewGuid().ToString("N")[..8]) with { CleanStart = true, SessionExpirySeconds = 0 };
        await using var session = new MqttSession(options, NullLogger.Instance);
        session.Start();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(parse.GetValue(waitOption)));
        try
        {
            await session.WaitUntilConnectedAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(Printable.Escape(
                $"radiogw: could not connect to {settings.Mqtt.Broker} within {parse.GetValue(waitOption)} s: {session.LastConnectionError ?? "no answer"}")).ConfigureAwait(false);
            return Unreachable;
        }

        try
        {
            await session.SubscribeAsync(settings.TopicPrefix + "events/command-result", MqttQualityOfServiceLevel.AtLeastOnce, deadline.Token).ConfigureAwait(false);
            await session.PublishAsync(settings.TopicPrefix + "commands/" + kind, new System.Buffers.ReadOnlySequence<byte>(command), retain: false, deadline.Token).ConfigureAwait(false);
            await foreach (var message in session.Received.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                await session.AcknowledgeAsync(message, deadline.Token).ConfigureAwait(false);
                using var result = JsonDocument.Parse(message.Payload);
                if (!result.RootElement.TryGetProperty("data", out var resultData)
                    || resultData.GetProperty("commandId").GetString() != commandId)
                {
                    continue;
                }

                Console.WriteLine(resultData.GetRawText());
                switch (resultData.GetProperty("state").GetString())
                {
                    case "delivered":
                        return 0;
                    case "failed":
                        return Failed;
                    case "transmitted" when finalOnTransmitted:
                        return 0;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // waited long enough
        }

        await Console.Error.WriteLineAsync($"radiogw: no final result for {commandId} within {parse.GetValue(waitOption)} s").ConfigureAwait(false);
        return NoResult;
    }
}
