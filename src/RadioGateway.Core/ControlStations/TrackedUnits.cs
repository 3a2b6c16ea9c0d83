namespace RadioGateway.Core.ControlStations;

/// <summary>
/// The units a control station's tracking policy has a triggered location request running for: started when a radio
/// registers, stopped when it leaves, forgotten when the start could not be sent (asked again at its next registration).
/// </summary>
internal sealed class TrackedUnits
{
    private readonly HashSet<uint> _units = [];
    private readonly Lock _gate = new();

    /// <summary>Records a registration (<paramref name="registered"/>) or a departure; <c>true</c> when that changes what is tracked.</summary>
    public bool Change(uint unit, bool registered)
    {
        lock (_gate)
        {
            return registered ? _units.Add(unit) : _units.Remove(unit);
        }
    }

    /// <summary>The start request for <paramref name="unit"/> was not sent.</summary>
    public void Forget(uint unit)
    {
        lock (_gate)
        {
            _units.Remove(unit);
        }
    }
}
