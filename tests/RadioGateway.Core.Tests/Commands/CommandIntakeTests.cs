using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Core.Tests.Commands;

/// <summary>The broker's command messages through the real parsing path, as the gateway takes them.</summary>
public sealed class CommandIntakeTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private readonly GatewayStore _store;
    private readonly ListLogger<CommandIntake> _log = new();
    private readonly CommandIntake _intake;

    public CommandIntakeTests()
    {
        _store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var dispatcher = new CommandDispatcher(
            _store,
            new CommandEncoder(3120001, UnitRoster.From([]), colourCode: 1, slot: 1),
            new GuardedTransmitter(new NoAir(), new TransmitLimiter(new TransmitLimits(), _time)),
            _time,
            NullLogger<CommandDispatcher>.Instance);
        _intake = new CommandIntake(_store, dispatcher, new CommandLimits(), _time, _log);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private static byte[] Command(string id, string data) =>
        Encoding.UTF8.GetBytes($$"""{"specversion":"1.0","id":"{{id}}","source":"central","type":"radiogw.command","data":{{data}}}""");

    private List<(string Id, string State, string? Reason)> Results()
    {
        using var reader = _store.OpenReader();
        return reader.QueryEvents("command-result", limit: 10_000).Select(e =>
        {
            using var data = JsonDocument.Parse(e.DataJson);
            return (data.RootElement.GetProperty("commandId").GetString()!, data.RootElement.GetProperty("state").GetString()!, data.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }).ToList();
    }

    [Fact]
    public void Hostile_payloads_each_end_in_a_failed_result_or_a_log_line_and_the_intake_goes_on()
    {
        _intake.Take("text", Command("bad-1", """{"to":{"id":9,"type":"group"},"text":"\ud800"}"""));
        var invalidUtf8 = Command("bad-2", """{"to":{"id":9,"type":"group"},"text":"ab"}""");
        invalidUtf8[Array.LastIndexOf(invalidUtf8, (byte)'a')] = 0xFF;
        _intake.Take("text", invalidUtf8);
        _intake.Take("text", Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"\udc00","data":{}}"""));
        _intake.Take("text\n2026-11-22 [ERR] forged", [0xFF, 0xFE]);
        _intake.Take("radio-check", Command("good-1", """{"unit":3120101}"""));

        var results = Results();
        Assert.Contains(results, r => r is ("bad-1", "failed", { } reason) && reason.StartsWith("invalid: data.text: not valid Unicode", StringComparison.Ordinal));
        Assert.Contains(results, r => r is ("bad-2", "failed", { } reason) && reason.StartsWith("invalid: ", StringComparison.Ordinal));
        Assert.Contains(("good-1", "accepted", (string?)null), results);
        var dropped = _log.Entries.Where(e => e.Message.Contains("without a usable id", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dropped.Count);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void A_duplicate_id_gets_no_contradicting_second_result()
    {
        _intake.Take("radio-check", Command("dup-1", """{"unit":3120101}"""));
        _intake.Take("radio-check", Command("dup-1", """{"unit":"not a unit"}"""));
        _intake.Take("radio-check", Command("dup-1", """{"unit":3120101}"""));
        _intake.Take("radio-check", Command("dup-2", """{"unit":0}"""));
        _intake.Take("radio-check", Command("dup-2", """{"unit":3120102}"""));

        Assert.Equal([("dup-1", "accepted", null), ("dup-2", "failed", "invalid: data.unit: a unit id 1–16776415 is required")], Results());
        Assert.Equal(3, _log.Entries.Count(e => e.Level == LogLevel.Information && e.Message.Contains("duplicate: already", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bidirectional_controls_removed_from_a_text_are_logged()
    {
        _intake.Take("text", Command("bidi-1", """{"to":{"id":9,"type":"group"},"text":"ok\u202Egnp.exe"}"""));

        Assert.Contains(("bidi-1", "accepted", (string?)null), Results());
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("1 bidirectional control characters", StringComparison.Ordinal));
    }

    private sealed class NoAir : IBurstTransmitter
    {
        public Task TransmitAsync(IReadOnlyList<SlotBurst> bursts, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
