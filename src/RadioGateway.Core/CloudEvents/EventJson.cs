using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.CloudEvents;

/// <summary>
/// JSON conventions shared by CloudEvents <c>data</c>, the journal and the CLI: camelCase names,
/// kebab-case enum values, absent instead of null, UTC RFC 3339 times, real UTF-8 for Persian text.
/// </summary>
public static class EventJson
{
    /// <summary>Serializer options for event data (also usable for any domain record).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions([]);

    /// <summary>Writer options: compact, UTF-8 text written as is (still valid JSON).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Formats a time as RFC 3339 in UTC with millisecond precision, e.g. <c>2026-03-01T08:15:30.250Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The object that becomes CloudEvents <c>data</c> for an event: the call record for call events, else the event's own fields.</summary>
    public static object DataOf(DomainEvent domainEvent) => domainEvent switch
    {
        CallStarted started => started.Call,
        CallEnded ended => ended.Call,
        _ => domainEvent,
    };

    /// <summary>Serializes the <c>data</c> object of an event to UTF-8 JSON.</summary>
    public static byte[] SerializeData(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var data = DataOf(domainEvent);
        return JsonSerializer.SerializeToUtf8Bytes(data, Options.GetTypeInfo(data.GetType()));
    }

    /// <summary>
    /// These conventions over the event types plus the types of <paramref name="more"/> (compile-time metadata of
    /// another assembly). Enums travel as kebab-case strings through <see cref="KebabCaseEnumConverter{TEnum}"/> on each enum.
    /// </summary>
    public static JsonSerializerOptions CreateOptions(params IJsonTypeInfoResolver[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([CoreJsonContext.Default, .. more])
                .WithAddedModifier(DropEnvelopeFields)
                .WithAddedModifier(OmitNonFiniteNumbers),
        };
        options.Converters.Add(new UtcTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The compile-time metadata for <typeparamref name="T"/> under <paramref name="options"/>; throws when no context of the options declares it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    // id, time, kind and type travel in the CloudEvents envelope, not in data. Never written, not required when read
    // (the reader takes them from the envelope or the journal row); id and time stay in the metadata because the
    // compile-time metadata sets init-only members through its constructor delegate.
    private static void DropEnvelopeFields(JsonTypeInfo typeInfo)
    {
        if (!typeof(DomainEvent).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.Name is "id" or "time" or "kind" or "type")
            {
                property.ShouldSerialize = static (_, _) => false;
                property.IsRequired = false;
            }
        }
    }

    // JSON has no NaN or infinity; a BER of 0/0 must not make the whole event unserializable, so such a value is left out
    // like an unknown one (SQLite likewise stores NaN as NULL).
    private static void OmitNonFiniteNumbers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.PropertyType == typeof(double) || property.PropertyType == typeof(double?))
            {
                property.ShouldSerialize = static (_, value) => value is double number && double.IsFinite(number);
            }
        }
    }

    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTime(value));
    }
}
