using System.Globalization;
using System.Text;

namespace RadioGateway.Uplink;

/// <summary>
/// Text from the air or the network made safe for a log line or terminal: C0/C1 control characters (ESC
/// sequences, a newline forging a log line) and bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069, which reorder the rest of the line) become <c>\uXXXX</c>. Returns the same instance when safe.
/// </summary>
public static class Printable
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static bool IsUnsafe(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
