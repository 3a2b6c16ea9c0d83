using System.Security.Claims;
using RadioGateway.Core.Events;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>
/// Where the console page's data comes from and where its actions go: the gateway's own journal and command path
/// (<see cref="ConsoleWebService"/>), or the central broker for the fleet view (<see cref="Fleet.FleetConsoleService"/>).
/// </summary>
internal interface IConsoleBackend
{
    GatewaySettings Settings { get; }

    ConsoleUsers Users { get; }

    ConsoleEventHub Hub { get; }

    /// <summary>What a page needs on (re)load.</summary>
    ConsoleState State(ClaimsPrincipal user);

    /// <summary>Calls, positions and texts in a time range, by unit and talk-group.</summary>
    ConsoleHistory History(DateTimeOffset? since, DateTimeOffset? until, uint? unit, uint? talkgroup);

    /// <summary>Positions of one unit or all, oldest first.</summary>
    IReadOnlyList<PositionReported> Track(uint? unit, DateTimeOffset? since, DateTimeOffset? until);

    /// <summary>Hands an action to the command path; the command id, or the reason it was refused.</summary>
    Task<(string? CommandId, string? Problem)> SubmitAsync(string user, ConsoleCommandRequest request, CancellationToken cancellationToken);

    void Acknowledge(string user, string emergencyId);
}
