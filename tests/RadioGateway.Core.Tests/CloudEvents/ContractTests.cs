using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Outbox;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.CloudEvents;

public sealed class ContractTests
{
    private static readonly string ContractsDirectory = FindContracts();
    private readonly CloudEventWriter _writer = new("gw-mashhad");

    private static string FindContracts()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "contracts");
            if (File.Exists(Path.Combine(candidate, "asyncapi.yaml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("contracts/asyncapi.yaml not found above the test binaries.");
    }

    private static ContractSchema Schema(string name) => ContractSchema.Load(Path.Combine(ContractsDirectory, "schemas", name + ".json"));

    public static TheoryData<string, string> EmittedEvents()
    {
        var open = SampleEvents.OpenCall();
        var ended = SampleEvents.EndedCall(open);
        var time = SampleEvents.Start;
        var events = new (string Schema, DomainEvent Event)[]
        {
            ("event-call", SampleEvents.Started(open)),
            ("event-call", SampleEvents.Ended(ended)),
            ("event-call-alias", SampleEvents.Alias(open, SampleEvents.PersianAlias)),
            ("event-csbk", SampleEvents.Csbk("csbk-1", time)),
            ("event-modem", new ModemStatusChanged { Id = "m-1", Time = time, RadioId = "bs-1", LinkUp = false, Description = "MMDVM_HS", Detail = "serial lost" }),
            ("event-position", SampleEvents.Position("p-1", time) with { AltitudeM = 985.5, HeadingDeg = 270, AccuracyM = 8 }),
            ("event-position", SampleEvents.Position("p-2", time) with { FixTime = null }),
            ("event-position", SampleEvents.Position("p-3", time) with { RadioId = "cs1", Via = "kenwood-nmea" }),
            ("event-text", new TextMessageReceived { Id = "t-1", Time = time, From = new RadioUnit(2001, "تیم ۱۲"), To = new CallTarget(91, TargetType.Group), Text = "به مرکز بیایید", Protocol = "tms", AckRequested = true, SequenceNumber = 85 }),
            ("event-data", new DataPacketHeard { Id = "d-1", Time = time, RadioId = "bs-1", Slot = 2, Source = new RadioUnit(2308094), Destination = new CallTarget(2308092, TargetType.Unit), Service = "tms", Summary = "TMS acknowledgement of message 7", Intact = true, Port = 4007, PayloadHex = "0003BF0007" }),
            ("event-data", new DataPacketHeard { Id = "d-2", Time = time, RadioId = "bs-1", Slot = 1, Source = new RadioUnit(2001), Destination = new CallTarget(91, TargetType.Group), Service = "packet", Summary = "damaged unconfirmed packet", Intact = false, Problem = "CRC-32 0x00000000, expected 0x3D9A0B21" }),
            ("event-registration", new RegistrationChanged { Id = "r-1", Time = time, Unit = new RadioUnit(2001), Registered = true, Protocol = "ars" }),
            ("event-emergency", new EmergencyRaised { Id = "e-1", Time = time, Unit = new RadioUnit(2001), Destination = new CallTarget(91, TargetType.Group), Via = "csbk" }),
            ("event-command-result", new CommandResultReported { Id = "c-1", Time = time, CommandId = "cmd-7", State = CommandState.Failed, Reason = "no ack from unit" }),
            ("event-alarm", new GatewayAlarmRaised { Id = "a-1", Time = time, Alarm = "disk-space-low", Active = true, Message = "low", FreeBytes = 10 }),
        };
        var data = new TheoryData<string, string>();
        var writer = new CloudEventWriter("gw-mashhad");
        foreach (var (schema, domainEvent) in events)
        {
            data.Add(schema, System.Text.Encoding.UTF8.GetString(writer.Serialize(domainEvent)));
            data.Add(schema, System.Text.Encoding.UTF8.GetString(writer.Serialize(domainEvent, replayed: true)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EmittedEvents))]
    public void Serializer_output_validates_against_its_schema_with_every_field_documented(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Empty(Schema(schema).Validate(document.RootElement));
    }

    [Theory]
    [InlineData("command-announce", """{"specversion":"1.0","id":"ann-1","source":"central/dispatch","type":"radiogw.command.announce","time":"2026-03-01T08:00:00Z","datacontenttype":"application/json","data":{"to":{"id":9,"type":"group"},"text":"همه تیم‌ها به مرکز","voice":"fa"}}""")]
    [InlineData("command-text", """{"specversion":"1.0","id":"cmd-1","source":"central/dispatch","type":"radiogw.command.text","time":"2026-03-01T08:00:00Z","datacontenttype":"application/json","data":{"to":{"id":2001,"type":"unit"},"text":"به مرکز بیایید"}}""")]
    [InlineData("command-locate", """{"specversion":"1.0","id":"cmd-2","source":"central/dispatch","type":"radiogw.command.locate","time":"2026-03-01T08:00:00+03:30","datacontenttype":"application/json","data":{"unit":2001,"intervalSeconds":30}}""")]
    [InlineData("command-locate", """{"specversion":"1.0","id":"cmd-3","source":"central/dispatch","type":"radiogw.command.locate","time":"2026-03-01T08:00:00Z","datacontenttype":"application/json","data":{"unit":2001,"stop":true}}""")]
    [InlineData("command-radio-check", """{"specversion":"1.0","id":"cmd-4","source":"central/dispatch","type":"radiogw.command.radio-check","time":"2026-03-01T08:00:00Z","datacontenttype":"application/json","data":{"unit":3120104}}""")]
    [InlineData("status", """{"online":false}""")]
    public void Command_and_status_examples_validate_against_their_schemas(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Empty(Schema(schema).Validate(document.RootElement));
    }

    [Fact]
    public void Outbox_stats_written_into_a_status_message_validate_against_the_status_schema()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("online", true);
            writer.WriteString("gatewayId", "gw-mashhad");
            writer.WriteString("time", EventJson.FormatTime(SampleEvents.Start));
            writer.WritePropertyName("outbox");
            new OutboxStats(12, TimeSpan.FromSeconds(95.5), 3.25, 4000, false, "connection refused", true).WriteTo(writer);
            writer.WriteBoolean("journalRecreated", true);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);

        Assert.Empty(Schema("status").Validate(document.RootElement));
        Assert.Equal(95.5, document.RootElement.GetProperty("outbox").GetProperty("oldestAgeSeconds").GetDouble());
    }

    [Theory]
    [InlineData("""{"endReason":"crashed"}""", "/data/endReason", "/enum")]
    [InlineData("""{"start":"2026-03-01 08:15:30"}""", "/data/start", "/format")]
    [InlineData("""{"start":"2026-03-01 08:15:30Z"}""", "/data/start", "/format")]
    [InlineData("""{"slot":3}""", "/data/slot", "/maximum")]
    [InlineData("""{"slot":"1"}""", "/data/slot", "/type")]
    [InlineData("""{"colour":"red"}""", "/data/colour", "/additionalProperties")]
    [InlineData("""{"destination":{"id":91,"type":"broadcast"}}""", "/data/destination/type", "/enum")]
    public void Schema_validation_rejects_a_call_event_with_a_wrong_field_naming_its_path(string change, string location, string keyword)
    {
        var valid = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(_writer.Serialize(SampleEvents.Ended(SampleEvents.EndedCall(SampleEvents.OpenCall()))))!;
        var data = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(valid["data"].GetRawText())!;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(change)!)
        {
            data[name] = value;
        }

        valid["data"] = JsonSerializer.SerializeToElement(data);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(valid));

        var error = Assert.Single(Schema("event-call").Validate(document.RootElement));

        Assert.Equal(location, error.Location);
        Assert.EndsWith(keyword, error.SchemaPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_validation_rejects_a_message_without_its_envelope_id()
    {
        using var document = JsonDocument.Parse("""{"specversion":"1.0","source":"radiogw/gw","type":"radiogw.csbk","time":"2026-03-01T08:00:00Z","datacontenttype":"application/json","data":{}}""");

        var errors = Schema("event-csbk").Validate(document.RootElement);

        Assert.Contains(errors, e => e.Location == "" && e.SchemaPath.EndsWith("/required", StringComparison.Ordinal) && e.Message.Contains("\"id\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location == "/data" && e.SchemaPath.EndsWith("/required", StringComparison.Ordinal) && e.Message.Contains("\"opcode\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_schema_with_a_misspelt_keyword_is_refused_rather_than_ignored()
    {
        var error = Assert.Throws<Json.Schema.JsonSchemaException>(() => ContractSchema.Parse("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","requried":["id"]}"""));

        Assert.Contains("requried", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsyncApi_document_references_every_schema_file_and_only_existing_ones()
    {
        var document = File.ReadAllText(Path.Combine(ContractsDirectory, "asyncapi.yaml"));
        var referenced = Regex.Matches(document, @"schemas/([a-z-]+\.json)").Select(m => m.Groups[1].Value).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(ContractsDirectory, "schemas"), "*.json").Select(Path.GetFileName).ToHashSet();

        Assert.Equal(files.Order(), referenced.Order());
        Assert.StartsWith("# ", document, StringComparison.Ordinal);
        Assert.Contains("asyncapi: 3.0.0", document, StringComparison.Ordinal);
        foreach (var kind in new[] { "call", "csbk", "modem", "position", "text", "data", "registration", "emergency", "command-result" })
        {
            Assert.Contains($"events/{kind}'", document, StringComparison.Ordinal);
        }

        foreach (var kind in new[] { "text", "locate", "radio-check", "announce" })
        {
            Assert.Contains($"commands/{kind}'", document, StringComparison.Ordinal);
        }
    }
}
