using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Hosting;
using RadioGateway.Uplink;

namespace RadioGateway.Cli;

/// <summary>
/// The journal verbs for what only <c>sqlite3</c> showed before: registrations, emergencies, CSBK, data packets,
/// modem events, command history, the outbox; and <c>backup</c>, SQLite's online backup while the gateway runs.
/// </summary>
internal static class JournalMoreVerbs
{

    public static void AddTo(Command journal, Option<FileInfo?> config, Option<string?> since, Option<int> limit, Option<uint?> unit)
    {
        foreach (var (name, kind, description) in new[]
        {
            ("registrations", "registration", "Units registering and leaving (ARS, …)"),
            ("emergencies", "emergency", "Emergency alarms and their acknowledgements"),
            ("csbk", "csbk", "Control signalling blocks heard (radio check, call alert, …)"),
            ("data-packets", "data", "Data packets heard that no data service decoded"),
            ("modem-events", "modem", "Modem link up/down and set-up events per radio"),
        })
        {
            var format = TableOrJson();
            var verb = new Command(name, description) { format };
            verb.SetAction(parse => JournalCommand.Query(parse, config, since, (reader, from) =>
                WriteEvents(Console.Out, reader.ReadEvents(new EventQuery { Kind = kind, Since = from, Unit = parse.GetValue(unit), Limit = parse.GetValue(limit) }), parse.GetValue(format))));
            Add(journal, verb);
        }

        var commandFormat = TableOrJson();
        var commands = new Command("commands", "Downlink commands with their latest state (accepted, transmitted, delivered, failed)") { commandFormat };
        commands.SetAction(parse => JournalCommand.Query(parse, config, since, (reader, from) =>
            WriteCommands(Console.Out, reader.QueryCommands(from, parse.GetValue(limit)), parse.GetValue(commandFormat))));
        Add(journal, commands);

        var outboxFormat = TableOrJson();
        var oldest = new Option<int>("--oldest") { Description = "How many of the oldest waiting events to list", DefaultValueFactory = _ => 10 };
        var outbox = new Command("outbox", "Events not yet acknowledged by the broker: backlog by kind, oldest entries") { outboxFormat, oldest };
        outbox.SetAction(parse => JournalCommand.Query(parse, config, since, (reader, _) =>
            WriteOutbox(Console.Out, reader.OutboxByKind(), reader.OldestInOutbox(Math.Max(1, parse.GetValue(oldest))), parse.GetValue(outboxFormat))));
        Add(journal, outbox);

        var file = new Argument<FileInfo>("FILE") { Description = "Where to write the copy (a single SQLite file; replaced if it exists)" };
        var backup = new Command("backup", "Copy the journal with SQLite's online backup, also while the gateway runs") { file };
        backup.SetAction(parse => JournalCommand.Query(parse, config, since, (reader, _) =>
        {
            var destination = parse.GetValue(file)!.FullName;
            GatewayStore.Backup(reader.DatabasePath, destination);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Journal copied to {destination} ({new FileInfo(destination).Length} bytes)"));
        }));
        Add(journal, backup);
    }

    private static void Add(Command journal, Command verb)
    {
        // Settings overrides (--Gateway:DataDirectory=…) pass through to the configuration.
        verb.TreatUnmatchedTokensAsErrors = false;
        journal.Subcommands.Add(verb);
    }

    private static Option<JournalOutputFormat> TableOrJson()
    {
        var format = new Option<JournalOutputFormat>("--format") { Description = "table or json", DefaultValueFactory = _ => JournalOutputFormat.Table };
        format.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<JournalOutputFormat>() is not (JournalOutputFormat.Table or JournalOutputFormat.Json))
            {
                result.AddError("this verb writes table or json");
            }
        });
        return format;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One line per event: time, type, subject, the data as compact JSON (JSON escapes control characters).</summary>
    private static void WriteEvents(TextWriter output, IEnumerable<JournalEvent> events, JournalOutputFormat format)
    {
        foreach (var e in events)
        {
            using var data = JsonDocument.Parse(e.DataJson);
            if (format == JournalOutputFormat.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(new JournalEventLine(e.Id, e.Type, e.Subject, e.Time, data.RootElement), GatewayJson.Lines.TypeInfo<JournalEventLine>()));
            }
            else
            {
                output.WriteLine($"{Time(e.Time)}  {e.Type,-28} {Printable.Escape(e.Subject ?? "-"),-12} {data.RootElement.GetRawText()}");
            }
        }
    }

    private static void WriteCommands(TextWriter output, IReadOnlyList<CommandHistoryEntry> commands, JournalOutputFormat format)
    {
        if (format == JournalOutputFormat.Table)
        {
            output.WriteLine($"{"received",-20}  {"state",-11}  {"kind",-14}  {"updated",-20}  id");
        }

        foreach (var c in commands)
        {
            output.WriteLine(format == JournalOutputFormat.Json
                ? JsonSerializer.Serialize(c, GatewayJson.Lines.TypeInfo<CommandHistoryEntry>())
                : $"{Time(c.ReceivedAt),-20}  {c.State,-11}  {c.Kind,-14}  {Time(c.UpdatedAt),-20}  {Printable.Escape(c.Id)}");
        }
    }

    private static void WriteOutbox(TextWriter output, IReadOnlyList<OutboxKindBacklog> byKind, IReadOnlyList<OutboxWaiting> oldest, JournalOutputFormat format)
    {
        if (format == JournalOutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new OutboxReport(byKind.Sum(k => k.Count), byKind, oldest), GatewayJson.Lines.TypeInfo<OutboxReport>()));
            return;
        }

        var now = DateTimeOffset.UtcNow;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{byKind.Sum(k => k.Count)} events waiting"));
        foreach (var kind in byKind)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind.Kind,-16} {kind.Count,8}  oldest {Time(kind.OldestEnqueuedAt)} ({StatusCommand.Age(now - kind.OldestEnqueuedAt)} ago)"));
        }

        if (oldest.Count > 0)
        {
            output.WriteLine("Oldest:");
        }

        foreach (var entry in oldest)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  #{entry.Sequence,-8} {Time(entry.EnqueuedAt)}  {entry.Kind,-14} {Printable.Escape(entry.EventId)}"));
        }
    }
}
