using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RadioGateway.Core.Commands;

/// <summary>
/// Takes command messages from the broker: parses each, hands a valid one to the dispatcher and answers an invalid
/// one <c>failed</c> with the reason. Only a store failure escapes (the command was not kept, so the broker must
/// deliver it again); anything else a payload causes ends in a <c>failed</c> result, or a log line when it has no
/// usable id, so no payload stops the intake.
/// </summary>
/// <remarks>
/// Duplicate ids: the first message with an id decides its results. A later message with an id this intake has
/// already taken (accepted or refused) gets no second result — it is logged as "duplicate: already accepted" or
/// "duplicate: already refused" — so an id never has contradictory results. Ids are remembered for the last
/// <see cref="RememberedIds"/> messages; older accepted ids are still caught by the store.
/// </remarks>
public sealed partial class CommandIntake(ICommandStore store, CommandDispatcher? dispatcher, CommandLimits limits, TimeProvider time, ILogger logger)
{
    /// <summary>How many recent command ids are remembered to recognise duplicates.</summary>
    public const int RememberedIds = 10_000;

    private readonly Dictionary<string, bool> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly Lock _lock = new();

    /// <summary>Takes one command message; returns once its first result is durably queued (so the broker may be acknowledged).</summary>
    public void Take(string kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(kind);
        string? commandId = null;
        try
        {
            lock (_lock)
            {
                TakeParsed(kind, payload, out commandId);
            }
        }
        catch (Exception e) when (e is not Microsoft.Data.Sqlite.SqliteException)
        {
            LogUnexpected(logger, e, Escape(kind));
            if (commandId is null)
            {
                LogUnanswerable(logger, Escape(kind), "unexpected: " + Escape(e.Message));
            }
            else
            {
                CommandDispatcher.Refuse(store, time, logger, commandId, "invalid: unexpected: " + e.Message);
            }
        }
    }

    private void TakeParsed(string kind, ReadOnlySpan<byte> payload, out string? commandId)
    {
        var request = CommandParser.Parse(kind, payload, time.GetUtcNow(), limits, out commandId, out var problem, out var notice);
        if (commandId is null)
        {
            LogUnanswerable(logger, Escape(kind), Escape(problem!));
            return;
        }

        if (_seen.TryGetValue(commandId, out var accepted))
        {
            LogDuplicate(logger, Escape(commandId), accepted ? "duplicate: already accepted" : "duplicate: already refused");
            return;
        }

        if (notice is not null)
        {
            LogChanged(logger, Escape(commandId), notice);
        }

        if (request is null)
        {
            Remember(commandId, accepted: false);
            CommandDispatcher.Refuse(store, time, logger, commandId, "invalid: " + problem);
        }
        else if (dispatcher is null)
        {
            Remember(commandId, accepted: false);
            CommandDispatcher.Refuse(store, time, logger, commandId, "rejected: this gateway is receive-only (no Gateway:RadioId or no radio)");
        }
        else
        {
            if (!dispatcher.Submit(request))
            {
                LogDuplicate(logger, Escape(commandId), "duplicate: already accepted");
            }

            Remember(commandId, accepted: true);
        }
    }

    private void Remember(string commandId, bool accepted)
    {
        _seen[commandId] = accepted;
        _seenOrder.Enqueue(commandId);
        if (_seenOrder.Count > RememberedIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }
    }

    /// <summary>Control characters of untrusted text as <c>\uXXXX</c>, so they cannot forge log lines or drive a terminal.</summary>
    private static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString());
        }

        return escaped.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} command without a usable id was dropped (no result can name it): {Problem}")]
    private static partial void LogUnanswerable(ILogger logger, string kind, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} ignored, {Reason}; the first message with this id keeps its results")]
    private static partial void LogDuplicate(ILogger logger, string commandId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} changed before sending: {Notice}")]
    private static partial void LogChanged(ILogger logger, string commandId, string notice);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Kind} command failed unexpectedly while being taken; it was answered failed (or logged) and acknowledged")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string kind);
}
