using RadioGateway.Core.Events;

namespace RadioGateway.Core.Commands;

/// <summary>
/// Where the <see cref="CommandDispatcher"/> keeps commands until their final result. Every state change is
/// journaled and queued upstream as its <c>command-result</c> in the same transaction.
/// </summary>
public interface ICommandStore
{
    /// <summary>
    /// Keeps a new command and journals/queues its <see cref="CommandState.Accepted"/> result in one transaction.
    /// A command id seen before is not accepted twice (the broker may redeliver); returns false then.
    /// </summary>
    bool AcceptCommand(CommandRequest request, CommandResultReported accepted);

    /// <summary>
    /// Moves command <see cref="CommandResultReported.CommandId"/> to <see cref="CommandResultReported.State"/>,
    /// with the answer that would deliver it, and journals/queues the result, in one transaction.
    /// </summary>
    void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline);

    /// <summary>Journals and queues the result of a command refused before it was accepted (nothing is kept).</summary>
    void RecordResult(CommandResultReported result);

    /// <summary>Commands without a final result (accepted, or transmitted and awaiting an answer), oldest first.</summary>
    IReadOnlyList<StoredCommand> OpenCommands();
}
