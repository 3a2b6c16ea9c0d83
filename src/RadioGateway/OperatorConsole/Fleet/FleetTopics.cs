namespace RadioGateway.OperatorConsole.Fleet;

/// <summary>What a topic under the gateways' prefix is.</summary>
public enum FleetTopicKind
{
    Other,
    Status,
    Event,
}

/// <summary>
/// The gateways' topics seen from the central broker: <c>Mqtt:TopicPrefix</c> with its <c>{gatewayId}</c> segment as
/// the single-level wildcard <c>+</c> [MQTT-4.7.1-2], and back from a topic to the gateway and event kind.
/// </summary>
public sealed class FleetTopics
{
    private const string Placeholder = "{gatewayId}";
    private readonly string[] _segments;
    private readonly int _gatewaySegment;

    public FleetTopics(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        _segments = template.TrimEnd('/').Split('/');
        _gatewaySegment = Array.IndexOf(_segments, Placeholder);
        if (_gatewaySegment < 0 || template.IndexOf(Placeholder, StringComparison.Ordinal) != template.LastIndexOf(Placeholder, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{template}' must contain {Placeholder} once, as a whole topic level, for the fleet view to tell the gateways apart", nameof(template));
        }
    }

    /// <summary>Why <paramref name="template"/> cannot serve the fleet view, or null.</summary>
    public static string? Problem(string template)
    {
        try
        {
            _ = new FleetTopics(template);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message.Split(" (Parameter", 2)[0];
        }
    }

    public string Template { get; }

    public string StatusFilter => Prefix("+") + "status";

    public string EventsFilter => Prefix("+") + "events/+";

    public string CommandTopic(string gatewayId, string kind) => Prefix(gatewayId) + "commands/" + kind;

    /// <summary>The kind of topic, the gateway it belongs to and (for events) the event kind.</summary>
    public (FleetTopicKind Kind, string Gateway, string EventKind) Parse(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var levels = topic.Split('/');
        var prefix = _segments.Length;
        if (levels.Length < prefix + 1)
        {
            return (FleetTopicKind.Other, "", "");
        }

        for (var i = 0; i < prefix; i++)
        {
            if (i != _gatewaySegment && levels[i] != _segments[i])
            {
                return (FleetTopicKind.Other, "", "");
            }
        }

        var gateway = levels[_gatewaySegment];
        if (!Hosting.GatewaySettingsLoader.IsValidGatewayId(gateway))
        {
            return (FleetTopicKind.Other, "", "");
        }

        return (levels.Length - prefix) switch
        {
            1 when levels[prefix] == "status" => (FleetTopicKind.Status, gateway, ""),
            2 when levels[prefix] == "events" && levels[prefix + 1].Length > 0 => (FleetTopicKind.Event, gateway, levels[prefix + 1]),
            _ => (FleetTopicKind.Other, "", ""),
        };
    }

    private string Prefix(string gateway) => string.Join('/', _segments.Select((s, i) => i == _gatewaySegment ? gateway : s)) + "/";
}
