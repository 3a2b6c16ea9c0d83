using RadioGateway.Core.Events;

namespace RadioGateway.Core.Calls;

/// <summary>
/// What a voice link control says about a call (TS 102 361-2 §7.1.1.1 group voice, §7.1.1.2 unit-to-unit),
/// whether it came from a voice LC header, embedded LC or a terminator.
/// </summary>
public sealed record CallLinkControl(uint SourceId, uint DestinationId, TargetType DestinationType, bool Emergency, bool Privacy, byte FeatureSetId)
{
    /// <summary>Same call: same source, destination and kind (service options may differ between LCs).</summary>
    public bool SameCallAs(CallLinkControl other) =>
        other is not null && other.SourceId == SourceId && other.DestinationId == DestinationId && other.DestinationType == DestinationType;
}
