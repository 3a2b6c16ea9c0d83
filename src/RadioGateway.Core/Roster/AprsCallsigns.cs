namespace RadioGateway.Core.Roster;

/// <summary>Matching APRS callsigns (<c>CALL-SSID</c>, case-insensitive) to roster units.</summary>
internal static class AprsCallsigns
{
    public static RosterUnit? Find(IEnumerable<RosterUnit> units, string callsign)
    {
        var heard = callsign.Trim();
        var baseCall = heard.Split('-')[0];
        RosterUnit? anySsid = null;
        foreach (var unit in units)
        {
            if (unit.Callsign is null)
            {
                continue;
            }

            if (string.Equals(unit.Callsign, heard, StringComparison.OrdinalIgnoreCase))
            {
                return unit;
            }

            if (!unit.Callsign.Contains('-', StringComparison.Ordinal) && string.Equals(unit.Callsign, baseCall, StringComparison.OrdinalIgnoreCase))
            {
                anySsid ??= unit;
            }
        }

        return anySsid;
    }
}
