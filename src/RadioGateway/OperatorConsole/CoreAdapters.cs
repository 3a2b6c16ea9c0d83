using System.Text;
using System.Text.Json;
using RadioGateway.Core.Events;

namespace RadioGateway.OperatorConsole;

/// <summary>An action asked for on the console page.</summary>
/// <param name="Action"><c>text</c>, <c>announce</c>, <c>locate</c> or <c>radio-check</c> (the MQTT command kinds).</param>
/// <param name="Voice">An announcement's espeak-ng voice, <c>fa</c> or <c>en</c> (default <c>fa</c>).</param>
/// <param name="Gateway">The fleet view: which gateway puts it on the air (default: the one that last heard the unit).</param>
public sealed record ConsoleCommandRequest(string Action, uint Target, TargetType TargetType = TargetType.Unit, string? Text = null, int? IntervalSeconds = null, bool? Stop = null, string? Gateway = null, string? Voice = null)
{
    /// <summary>The request as the CloudEvents 1.0 command message <c>commands/{kind}</c> carries, for the one command parser.</summary>
    public static byte[] CloudEvent(string id, string source, DateTimeOffset time, ConsoleCommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", id);
            json.WriteString("source", source);
            json.WriteString("type", "radiogw.command." + request.Action);
            json.WriteString("time", Core.CloudEvents.EventJson.FormatTime(time));
            json.WriteStartObject("data");
            if (request.Action is "text" or "announce")
            {
                json.WriteStartObject("to");
                json.WriteNumber("id", request.Target);
                json.WriteString("type", request.TargetType == TargetType.Group ? "group" : "unit");
                json.WriteEndObject();
                json.WriteString("text", request.Text ?? "");
                if (request.Action == "announce" && request.Voice is { } voice)
                {
                    json.WriteString("voice", voice);
                }
            }
            else
            {
                json.WriteNumber("unit", request.Target);
                if (request.IntervalSeconds is { } interval)
                {
                    json.WriteNumber("intervalSeconds", interval);
                }

                if (request.Stop is { } stop)
                {
                    json.WriteBoolean("stop", stop);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
