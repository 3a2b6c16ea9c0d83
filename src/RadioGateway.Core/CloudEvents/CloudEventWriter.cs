using System.Buffers;
using System.Text.Json;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.CloudEvents;

/// <summary>The parts of a CloudEvent that are fixed when the event is recorded; the envelope is written at send time.</summary>
/// <param name="Id">CloudEvents <c>id</c> (the event's stable id).</param>
/// <param name="Kind">Topic kind, <c>events/{kind}</c>.</param>
/// <param name="Type">CloudEvents <c>type</c>.</param>
/// <param name="Subject">CloudEvents <c>subject</c> (call id, unit id, …) or null.</param>
/// <param name="Time">When the gateway observed the event (UTC).</param>
/// <param name="Data">UTF-8 JSON of the <c>data</c> member.</param>
public sealed record CloudEventParts(string Id, string Kind, string Type, string? Subject, DateTimeOffset Time, ReadOnlyMemory<byte> Data)
{
    /// <summary>Splits a domain event into its envelope fields and serialized data.</summary>
    public static CloudEventParts From(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return new(domainEvent.Id, domainEvent.Kind, domainEvent.Type, SubjectOf(domainEvent), domainEvent.Time.ToUniversalTime(), EventJson.SerializeData(domainEvent));
    }

    private static string? SubjectOf(DomainEvent domainEvent) => domainEvent switch
    {
        CallStarted started => started.Call.CallId,
        CallEnded ended => ended.Call.CallId,
        TalkerAliasHeard alias => alias.CallId,
        PositionReported position => position.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RegistrationChanged registration => registration.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        EmergencyRaised emergency => emergency.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CommandResultReported result => result.CommandId,
        ModemStatusChanged modem => modem.RadioId,
        _ => null,
    };
}

/// <summary>
/// Writes CloudEvents 1.0 JSON structured-mode messages (CloudEvents spec §3, JSON format §3).
/// <c>source</c> is the URI-reference <c>radiogw/{gatewayId}</c>. The extension attribute
/// <c>replayed</c> (boolean) is present and true only when the message waited in the outbox through
/// an outage; position events then also carry <c>"replayed": true</c> inside <c>data</c>.
/// </summary>
public sealed class CloudEventWriter
{
    /// <summary>The kind whose data also carries the replayed flag (consumers of positions ask for it there).</summary>
    public const string PositionKind = "position";

    /// <summary>Creates a writer for one gateway.</summary>
    /// <param name="gatewayId">The <c>Gateway:Id</c> setting.</param>
    /// <param name="topicPrefix">The <c>Mqtt:TopicPrefix</c> setting; null or empty means <c>radiogw/v1/{gatewayId}/</c>.</param>
    public CloudEventWriter(string gatewayId, string? topicPrefix = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        Source = "radiogw/" + gatewayId;
        TopicPrefix = string.IsNullOrEmpty(topicPrefix) ? $"radiogw/v1/{gatewayId}/" : topicPrefix;
    }

    /// <summary>The CloudEvents <c>source</c> of every event from this gateway.</summary>
    public string Source { get; }

    /// <summary>Prefix of every topic, ending in <c>/</c> unless configured otherwise.</summary>
    public string TopicPrefix { get; }

    /// <summary>The MQTT topic an event of this kind is published on: <c>{prefix}events/{kind}</c>.</summary>
    public string TopicFor(string kind) => TopicPrefix + "events/" + kind;

    /// <summary>Serializes a domain event as a CloudEvent.</summary>
    public byte[] Serialize(DomainEvent domainEvent, bool replayed = false) => Serialize(CloudEventParts.From(domainEvent), replayed);

    /// <summary>Serializes recorded parts as a CloudEvent.</summary>
    public byte[] Serialize(CloudEventParts parts, bool replayed = false)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var buffer = new ArrayBufferWriter<byte>(parts.Data.Length + 256);
        var dataOffset = Write(buffer, parts);
        return replayed ? MarkReplayed(buffer.WrittenSpan, dataOffset, parts.Kind == PositionKind) : buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes recorded parts as a CloudEvent (not replayed) to <paramref name="output"/>.</summary>
    /// <returns>The offset of the <c>data</c> value in what was written: where <see cref="MarkReplayed"/> inserts.</returns>
    public int Write(IBufferWriter<byte> output, CloudEventParts parts)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(parts);
        using var writer = new Utf8JsonWriter(output, EventJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("specversion", "1.0");
        writer.WriteString("id", parts.Id);
        writer.WriteString("source", Source);
        writer.WriteString("type", parts.Type);
        if (parts.Subject is not null)
        {
            writer.WriteString("subject", parts.Subject);
        }

        writer.WriteString("time", EventJson.FormatTime(parts.Time));
        writer.WriteString("datacontenttype", "application/json");
        writer.WritePropertyName("data");
        writer.Flush();
        var dataOffset = checked((int)writer.BytesCommitted);
        writer.WriteRawValue(parts.Data.Span);
        writer.WriteEndObject();
        return dataOffset;
    }

    /// <summary>
    /// The same CloudEvent marked replayed: the <c>replayed</c> attribute before <c>data</c> (the last member), and for
    /// positions also first inside <c>data</c>. Works on the stored bytes, so a backlog is not serialised again.
    /// </summary>
    /// <param name="payload">A CloudEvent as <see cref="Write"/> wrote it.</param>
    /// <param name="dataOffset">What <see cref="Write"/> returned.</param>
    /// <param name="inData">Also mark <c>data</c> (positions).</param>
    public static byte[] MarkReplayed(ReadOnlySpan<byte> payload, int dataOffset, bool inData)
    {
        var keyOffset = dataOffset - DataKey.Length;
        if (keyOffset < 1 || !payload[keyOffset..dataOffset].SequenceEqual(DataKey) || payload[dataOffset] != (byte)'{')
        {
            throw new ArgumentException($"No \"data\" object at byte {dataOffset} of the CloudEvent.", nameof(dataOffset));
        }

        var emptyData = payload[dataOffset + 1] == (byte)'}';
        var marked = new byte[payload.Length + ReplayedMember.Length + 1 + (inData ? ReplayedMember.Length + (emptyData ? 0 : 1) : 0)];
        var output = marked.AsSpan();
        payload[..keyOffset].CopyTo(output);
        output = output[keyOffset..];
        ReplayedMember.CopyTo(output);
        output[ReplayedMember.Length] = (byte)',';
        output = output[(ReplayedMember.Length + 1)..];
        payload[keyOffset..(dataOffset + 1)].CopyTo(output);
        output = output[(dataOffset + 1 - keyOffset)..];
        if (inData)
        {
            ReplayedMember.CopyTo(output);
            output = output[ReplayedMember.Length..];
            if (!emptyData)
            {
                output[0] = (byte)',';
                output = output[1..];
            }
        }

        payload[(dataOffset + 1)..].CopyTo(output);
        return marked;
    }

    private static ReadOnlySpan<byte> DataKey => "\"data\":"u8;

    private static ReadOnlySpan<byte> ReplayedMember => "\"replayed\":true"u8;
}
