namespace RadioGateway.Core.Configuration;

/// <summary>
/// The one "did you mean" of every settings reader (gateway settings, hardware profiles, unit roster): the known key
/// an unknown one most likely meant to be.
/// </summary>
public static class DidYouMean
{
    /// <summary>Edits (Levenshtein, ignoring case) within which a key counts as a typo of a known one.</summary>
    public const int MaxEdits = 2;

    /// <summary>
    /// The known key <paramref name="unknown"/> was most likely meant to be: equal ignoring case, <c>_</c> and
    /// <c>-</c>, or the British spelling of an American one (<c>colorCode</c> → <c>colourCode</c>), else the nearest
    /// within <see cref="MaxEdits"/> edits; null when nothing is close.
    /// </summary>
    public static string? Closest(string unknown, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        ArgumentNullException.ThrowIfNull(known);
        var plain = Plain(unknown);
        string? nearest = null;
        var nearestEdits = MaxEdits + 1;
        foreach (var key in known)
        {
            var plainKey = Plain(key);
            if (plainKey == plain || plainKey.Replace("COLOUR", "COLOR", StringComparison.Ordinal) == plain)
            {
                return key;
            }

            var edits = EditDistance(plainKey, plain);
            if (edits < nearestEdits)
            {
                nearest = key;
                nearestEdits = edits;
            }
        }

        return nearest;
    }

    /// <summary><c>; did you mean 'key'?</c> for the closest known key (shown through <paramref name="display"/>), or an empty string.</summary>
    public static string Hint(string unknown, IEnumerable<string> known, Func<string, string>? display = null) =>
        Closest(unknown, known) is { } key ? $"; did you mean '{(display is null ? key : display(key))}'?" : "";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Plain(string key) =>
        key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
}
