using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;

namespace RadioGateway.Core.Commands;

[System.Text.Json.Serialization.JsonConverter(typeof(RadioGateway.Core.CloudEvents.KebabCaseEnumConverter<CommandKind>))]
public enum CommandKind
{
    Text,
    Locate,
    RadioCheck,
}

/// <summary>A validated downlink command, as kept durably until its final result.</summary>
/// <param name="Id">The command's CloudEvents id.</param>
/// <param name="Target">Unit (or, for texts, group) id.</param>
/// <param name="IntervalSeconds">Locate: 0 = once, else periodic reporting at this interval.</param>
/// <param name="Stop">Locate: end periodic reporting.</param>
public sealed record CommandRequest(
    string Id,
    CommandKind Kind,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ExpiresAt,
    uint Target,
    TargetType TargetType,
    string? Text = null,
    int IntervalSeconds = 0,
    bool Stop = false)
{
    public static string KindName(CommandKind kind) => kind switch
    {
        CommandKind.Text => "text",
        CommandKind.Locate => "locate",
        _ => "radio-check",
    };
}

/// <summary>Bounds every command is checked against before it is accepted.</summary>
public sealed record CommandLimits
{
    /// <summary>UTF-16 code units of a text: what fits one data call of any of the supported protocols, with margin.</summary>
    public int MaxTextLength { get; init; } = 280;

    public int MinIntervalSeconds { get; init; } = 30;

    public int MaxIntervalSeconds { get; init; } = 3600;

    /// <summary>How long a command without <c>expiresAt</c> may wait for the channel.</summary>
    public TimeSpan DefaultLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Reads a command from <c>commands/{kind}</c>: CloudEvents 1.0 JSON whose <c>id</c> is the command id and whose
/// <c>data</c> is <c>text</c> {to {id, type}, text}, <c>locate</c> {unit, intervalSeconds?, stop?} or
/// <c>radio-check</c> {unit}; optional <c>data.expiresAt</c>. Every problem names the field.
/// </summary>
/// <remarks>
/// Hostile input never throws: a string that is not valid Unicode (a lone surrogate escape such as <c>\ud800</c>,
/// or bytes that are not UTF-8) is refused naming its field. Bidirectional control characters (U+202A–U+202E,
/// U+2066–U+2069) are stripped from a text — radios cannot render them and they can disguise it — and
/// <c>notice</c> says so.
/// </remarks>
public static partial class CommandParser
{
    public static readonly string[] Kinds = ["text", "locate", "radio-check"];

    /// <returns>The request, or null with <paramref name="problem"/>; <paramref name="commandId"/> is set whenever the payload had one.</returns>
    public static CommandRequest? Parse(string kind, ReadOnlySpan<byte> payload, DateTimeOffset now, CommandLimits limits, out string? commandId, out string? problem) =>
        Parse(kind, payload, now, limits, out commandId, out problem, out _);

    /// <param name="notice">What was changed in an accepted command (bidirectional controls removed from its text), else null.</param>
    public static CommandRequest? Parse(string kind, ReadOnlySpan<byte> payload, DateTimeOffset now, CommandLimits limits, out string? commandId, out string? problem, out string? notice)
    {
        ArgumentNullException.ThrowIfNull(limits);
        commandId = null;
        notice = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException e)
        {
            problem = $"payload: not JSON ({e.Message})";
            return null;
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 the reader rejects while parsing.
            problem = $"payload: not UTF-8 JSON ({e.Message})";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "payload: a CloudEvents object is expected";
                return null;
            }

            if (!TryReadString(root, "id", "id", out var idText, out problem))
            {
                return null;
            }

            if (idText is { Length: > 0 and <= 128 })
            {
                commandId = idText;
            }
            else
            {
                problem = "id: a command id (1–128 characters) is required";
                return null;
            }

            if (!TryReadString(root, "specversion", "specversion", out var version, out problem))
            {
                return null;
            }

            if (version != "1.0")
            {
                problem = "specversion: must be \"1.0\" (CloudEvents 1.0)";
                return null;
            }

            if (!Kinds.Contains(kind, StringComparer.Ordinal))
            {
                problem = $"kind: '{kind}' is not one of {string.Join(", ", Kinds)}";
                return null;
            }

            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                problem = "data: an object is required";
                return null;
            }

            var expires = now + limits.DefaultLifetime;
            if (data.TryGetProperty("expiresAt", out _))
            {
                if (!TryReadString(data, "expiresAt", "data.expiresAt", out var expiresText, out problem))
                {
                    return null;
                }

                if (expiresText is null || !TryParseRfc3339(expiresText, out var parsed))
                {
                    problem = "data.expiresAt: an RFC 3339 time (e.g. 2026-11-22T09:05:00Z) is expected";
                    return null;
                }

                if (parsed <= now)
                {
                    problem = $"data.expiresAt: {expiresText} has already passed";
                    return null;
                }

                expires = parsed > now + limits.MaxLifetime ? now + limits.MaxLifetime : parsed;
            }

            return kind switch
            {
                "text" => ParseText(commandId, data, now, expires, limits, out problem, out notice),
                "locate" => ParseLocate(commandId, data, now, expires, limits, out problem),
                _ => ReadUnit(data, "data.unit", out var unit, out problem) ? new CommandRequest(commandId, CommandKind.RadioCheck, now, expires, unit, TargetType.Unit) : null,
            };
        }
    }

    private static CommandRequest? ParseText(string id, JsonElement data, DateTimeOffset now, DateTimeOffset expires, CommandLimits limits, out string? problem, out string? notice)
    {
        notice = null;
        if (!data.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Object)
        {
            problem = "data.to: {\"id\": …, \"type\": \"unit\"|\"group\"} is required";
            return null;
        }

        if (!TryReadString(to, "type", "data.to.type", out var type, out problem))
        {
            return null;
        }

        if (type is not ("unit" or "group"))
        {
            problem = "data.to.type: must be \"unit\" or \"group\"";
            return null;
        }

        uint target;
        if (type == "unit")
        {
            if (!ReadUnit(to, "data.to.id", out target, out problem))
            {
                return null;
            }
        }
        else if (!to.TryGetProperty("id", out var group) || group.ValueKind != JsonValueKind.Number || !group.TryGetUInt32(out target) || target is 0 or > 16777215)
        {
            problem = "data.to.id: a talk-group id 1–16777215 is required";
            return null;
        }

        if (!TryReadString(data, "text", "data.text", out var text, out problem))
        {
            return null;
        }

        var bidiControls = text?.Count(IsBidirectionalControl) ?? 0;
        if (bidiControls > 0)
        {
            text = string.Concat(text!.Where(c => !IsBidirectionalControl(c)));
            notice = $"data.text: {bidiControls} bidirectional control characters (U+202A–U+202E, U+2066–U+2069) removed";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "data.text: a non-empty text is required";
            return null;
        }

        if (text.Length > limits.MaxTextLength)
        {
            problem = $"data.text: {text.Length} characters, at most {limits.MaxTextLength} fit one radio message";
            return null;
        }

        if (text.Any(c => char.IsControl(c) && c != '\n'))
        {
            problem = "data.text: control characters other than line feed cannot be sent";
            return null;
        }

        problem = null;
        return new CommandRequest(id, CommandKind.Text, now, expires, target, type == "unit" ? TargetType.Unit : TargetType.Group, text);
    }

    private static CommandRequest? ParseLocate(string id, JsonElement data, DateTimeOffset now, DateTimeOffset expires, CommandLimits limits, out string? problem)
    {
        if (!ReadUnit(data, "data.unit", out var unit, out problem))
        {
            return null;
        }

        var interval = 0;
        if (data.TryGetProperty("intervalSeconds", out var intervalElement)
            && (intervalElement.ValueKind != JsonValueKind.Number || !intervalElement.TryGetInt32(out interval) || (interval != 0 && (interval < limits.MinIntervalSeconds || interval > limits.MaxIntervalSeconds))))
        {
            problem = $"data.intervalSeconds: 0 (once) or {limits.MinIntervalSeconds}–{limits.MaxIntervalSeconds} seconds";
            return null;
        }

        var stop = false;
        if (data.TryGetProperty("stop", out var stopElement) && stopElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problem = "data.stop: true or false";
            return null;
        }
        else if (data.TryGetProperty("stop", out stopElement))
        {
            stop = stopElement.GetBoolean();
        }

        return new CommandRequest(id, CommandKind.Locate, now, expires, unit, TargetType.Unit, IntervalSeconds: interval, Stop: stop);
    }

    /// <summary>Embedding and override controls (U+202A–U+202E) and isolates (U+2066–U+2069), Unicode UAX #9 §2.</summary>
    private static bool IsBidirectionalControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>RFC 3339 §5.6 date-time: full date, 'T', full time with seconds, optional fraction, 'Z' or a numeric offset.</summary>
    private static bool TryParseRfc3339(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>
    /// A string property, or null when absent or not a string; false with the problem when the string is not valid
    /// Unicode (a lone surrogate escape, or bytes that are not UTF-8), which <see cref="JsonElement.GetString"/> throws on.
    /// </summary>
    private static bool TryReadString(JsonElement parent, string name, string field, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        try
        {
            value = element.GetString();
            return true;
        }
        catch (InvalidOperationException e)
        {
            problem = $"{field}: not valid Unicode ({e.Message})";
            return false;
        }
    }

    private static bool ReadUnit(JsonElement parent, string field, out uint unit, out string? problem)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetUInt32(out unit) || unit is 0 or > UnitRoster.MaxUnitId)
        {
            unit = 0;
            problem = $"{field}: a unit id 1–{UnitRoster.MaxUnitId} is required";
            return false;
        }

        problem = null;
        return true;
    }
}

/// <summary>A command as the store keeps it: the request, where it stands, and what answer would deliver it.</summary>
public sealed record StoredCommand(CommandRequest Request, CommandState State, string? AnswerKey, DateTimeOffset? AnswerDeadline);
