using System.Text;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Tests.Commands;

public sealed class CommandParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CommandRequest? Parse(string kind, string json, out string? id, out string? problem) =>
        CommandParser.Parse(kind, Encoding.UTF8.GetBytes(json), Now, new CommandLimits(), out id, out problem);

    private static string Envelope(string data, string id = "cmd-1") =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"central/dispatch","type":"radiogw.command","time":"2026-11-22T09:00:00Z","datacontenttype":"application/json","data":{{data}}}""";

    [Fact]
    public void A_persian_text_to_a_unit_is_accepted_with_the_default_lifetime()
    {
        var request = Parse("text", Envelope("""{"to":{"id":3120101,"type":"unit"},"text":"به مرکز برگردید"}"""), out var id, out var problem)!;

        Assert.Null(problem);
        Assert.Equal("cmd-1", id);
        Assert.Equal((CommandKind.Text, 3120101u, TargetType.Unit, "به مرکز برگردید"), (request.Kind, request.Target, request.TargetType, request.Text));
        Assert.Equal(Now.AddMinutes(5), request.ExpiresAt);
    }

    [Fact]
    public void Locate_and_radio_check_carry_their_fields()
    {
        var locate = Parse("locate", Envelope("""{"unit":3120103,"intervalSeconds":60,"expiresAt":"2026-11-22T09:02:00Z"}"""), out _, out _)!;
        Assert.Equal((3120103u, 60, false, Now.AddMinutes(2)), (locate.Target, locate.IntervalSeconds, locate.Stop, locate.ExpiresAt));

        var stop = Parse("locate", Envelope("""{"unit":3120103,"stop":true}"""), out _, out _)!;
        Assert.True(stop.Stop);

        Assert.Equal(CommandKind.RadioCheck, Parse("radio-check", Envelope("""{"unit":5}"""), out _, out _)!.Kind);
    }

    [Theory]
    [InlineData("text", """{"to":{"id":0,"type":"unit"},"text":"x"}""", "data.to.id:")]
    [InlineData("text", """{"to":{"id":16777215,"type":"unit"},"text":"x"}""", "data.to.id:")]
    [InlineData("text", """{"to":{"id":9,"type":"broadcast"},"text":"x"}""", "data.to.type:")]
    [InlineData("text", """{"to":{"id":9,"type":"group"},"text":"  "}""", "data.text: a non-empty")]
    [InlineData("text", """{"to":{"id":9,"type":"group"},"text":"a\u0007b"}""", "data.text: control characters")]
    [InlineData("locate", """{"unit":3120103,"intervalSeconds":5}""", "data.intervalSeconds:")]
    [InlineData("locate", """{"unit":3120103,"stop":"yes"}""", "data.stop:")]
    [InlineData("locate", """{"unit":"3120103"}""", "data.unit:")]
    [InlineData("radio-check", """{"unit":3120103,"expiresAt":"2026-11-22T08:59:00Z"}""", "data.expiresAt: 2026-11-22T08:59:00Z has already passed")]
    [InlineData("reboot", """{"unit":1}""", "kind: 'reboot'")]
    public void Invalid_commands_name_the_field_and_keep_their_id_for_the_result(string kind, string data, string field)
    {
        Assert.Null(Parse(kind, Envelope(data), out var id, out var problem));

        Assert.Equal("cmd-1", id);
        Assert.StartsWith(field, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_longer_than_a_radio_message_is_refused_with_the_limit()
    {
        var text = new string('ب', 281);

        Assert.Null(Parse("text", Envelope($$"""{"to":{"id":9,"type":"group"},"text":"{{text}}"}"""), out _, out var problem));
        Assert.Equal("data.text: 281 characters, at most 280 fit one radio message", problem);
    }

    [Theory]
    [InlineData("not json", "payload: not JSON")]
    [InlineData("""{"specversion":"1.0","data":{}}""", "id: a command id")]
    [InlineData("""{"specversion":"0.3","id":"c","data":{}}""", "specversion:")]
    public void Envelopes_without_an_id_or_of_another_version_are_refused(string json, string reason)
    {
        Assert.Null(Parse("text", json, out _, out var problem));
        Assert.StartsWith(reason, problem, StringComparison.Ordinal);
    }
}

public sealed class CommandParserHostileInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CommandRequest? Parse(string kind, byte[] payload, out string? id, out string? problem) =>
        CommandParser.Parse(kind, payload, Now, new CommandLimits(), out id, out problem, out _);

    private static byte[] Envelope(string data, string id = "\"cmd-1\"", string specversion = "\"1.0\"") =>
        Encoding.UTF8.GetBytes($$"""{"specversion":{{specversion}},"id":{{id}},"data":{{data}}}""");

    [Theory]
    [InlineData("text", """{"to":{"id":9,"type":"group"},"text":"a\ud800b"}""", "data.text: not valid Unicode")]
    [InlineData("text", """{"to":{"id":9,"type":"\udc00"},"text":"x"}""", "data.to.type: not valid Unicode")]
    [InlineData("locate", """{"unit":3120103,"expiresAt":"\ud800"}""", "data.expiresAt: not valid Unicode")]
    public void A_lone_surrogate_in_a_string_field_is_refused_naming_the_field(string kind, string data, string reason)
    {
        Assert.Null(Parse(kind, Envelope(data), out var id, out var problem));

        Assert.Equal("cmd-1", id);
        Assert.StartsWith(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_in_the_id_or_specversion_gives_a_problem_not_an_exception()
    {
        Assert.Null(Parse("text", Envelope("{}", id: "\"c\\ud800\""), out var id, out var problem));
        Assert.Null(id);
        Assert.StartsWith("id: not valid Unicode", problem, StringComparison.Ordinal);

        Assert.Null(Parse("text", Envelope("{}", specversion: "\"\\udfff\""), out id, out problem));
        Assert.Equal("cmd-1", id);
        Assert.StartsWith("specversion: not valid Unicode", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_refused()
    {
        var payload = Envelope("""{"to":{"id":9,"type":"group"},"text":"ab"}""");
        var at = Array.IndexOf(payload, (byte)'a', Array.LastIndexOf(payload, (byte)':'));
        payload[at] = 0xC3; // a lead byte followed by 'b', not a continuation byte
        payload[at + 1] = 0x28;

        Assert.Null(Parse("text", payload, out _, out var problem));
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("12/31/2099")]
    [InlineData("2099-12-31")]
    [InlineData("Thu, 31 Dec 2099 00:00:00 GMT")]
    [InlineData("2099-12-31T00:00:00")]
    public void Expires_at_accepts_only_rfc_3339(string value)
    {
        Assert.Null(Parse("radio-check", Envelope($$"""{"unit":5,"expiresAt":"{{value}}"}"""), out _, out var problem));
        Assert.Equal("data.expiresAt: an RFC 3339 time (e.g. 2026-11-22T09:05:00Z) is expected", problem);
    }

    [Fact]
    public void Expires_at_with_an_offset_and_fraction_is_rfc_3339()
    {
        var request = Parse("radio-check", Envelope("""{"unit":5,"expiresAt":"2026-11-22T10:02:00.5+01:00"}"""), out _, out var problem);

        Assert.Null(problem);
        Assert.Equal(Now.AddMinutes(2).AddMilliseconds(500), request!.ExpiresAt);
    }

    [Fact]
    public void Bidirectional_controls_are_stripped_from_a_text_and_the_notice_says_so()
    {
        var request = CommandParser.Parse("text", Envelope("""{"to":{"id":9,"type":"group"},"text":"go \u202Eback\u202C now\u2066!\u2069"}"""), Now, new CommandLimits(), out _, out var problem, out var notice);

        Assert.Null(problem);
        Assert.Equal("go back now!", request!.Text);
        Assert.Equal("data.text: 4 bidirectional control characters (U+202A–U+202E, U+2066–U+2069) removed", notice);
    }

    [Fact]
    public void A_text_of_only_bidirectional_controls_is_empty()
    {
        Assert.Null(Parse("text", Envelope("""{"to":{"id":9,"type":"group"},"text":"\u202E\u2067"}"""), out _, out var problem));
        Assert.StartsWith("data.text: a non-empty text is required", problem, StringComparison.Ordinal);
    }
}

public sealed class CommandParserFuzzTests
{
    [Fact]
    public void Any_json_or_garbage_gives_a_request_or_a_problem_and_never_throws()
    {
        var random = new Random(11);
        string[] values = ["0", "1", "-1", "3120101", "16777215", "\"x\"", "true", "null", "[]", "{}", "1.5", "\"2026-11-22T09:00:00Z\"", "\"\\ud800\"", "\"a\\udc00\"", "\"\\u202e\""];
        string[] keys = ["to", "id", "type", "text", "unit", "intervalSeconds", "stop", "expiresAt"];
        for (var i = 0; i < 3000; i++)
        {
            var fields = string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"\"{keys[random.Next(keys.Length)]}\":{(random.Next(4) == 0 ? "{\"id\":" + values[random.Next(values.Length)] + ",\"type\":" + values[random.Next(values.Length)] + "}" : values[random.Next(values.Length)])}"));
            var json = "{\"specversion\":\"1.0\",\"id\":\"c" + i + "\",\"data\":{" + fields + "}}";
            var bytes = System.Text.Encoding.UTF8.GetBytes(random.Next(10) == 0 ? json[..random.Next(json.Length)] : json);
            var request = CommandParser.Parse(CommandParser.Kinds[i % 3], bytes, DateTimeOffset.UnixEpoch, new CommandLimits(), out _, out var problem);
            Assert.True(request is not null ^ problem is not null);
        }
    }
}
