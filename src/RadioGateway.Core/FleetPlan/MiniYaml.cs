using System.Globalization;
using System.Text;

namespace RadioGateway.Core.FleetPlan;

/// <summary>A YAML node: a scalar (<see cref="Scalar"/>), a sequence (<see cref="Items"/>) or a mapping (<see cref="Entries"/>), with its line.</summary>
public sealed class YamlNode
{
    public int Line { get; init; }

    public string? Scalar { get; init; }

    public IReadOnlyList<YamlNode>? Items { get; init; }

    public IReadOnlyList<KeyValuePair<string, YamlNode>>? Entries { get; init; }

    public YamlNode? this[string key] => Entries?.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>A YAML problem with the line it is on.</summary>
public sealed class YamlFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads the YAML that qdmr writes (yaml-cpp's emitter, YAML 1.2): block mappings and sequences by indentation,
/// flow <c>{…}</c> and <c>[…]</c> collections, plain, single- and double-quoted scalars, tags (<c>!default</c>,
/// <c>!&lt;!default&gt; ""</c>, which are read as their scalar), comments and document markers. Anchors, aliases
/// and block scalars (<c>|</c>, <c>&gt;</c>) are not used by qdmr and are rejected with their line.
/// </summary>
public static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static YamlNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = Lines(text);
        var position = 0;
        if (lines.Count == 0)
        {
            return new YamlNode { Line = 1, Entries = [] };
        }

        var root = Block(lines, ref position, lines[0].Indent);
        if (position < lines.Count)
        {
            throw new YamlFormatException(lines[position].Number, $"unexpected indentation of '{lines[position].Text}'");
        }

        return root;
    }

    private static List<Line> Lines(string text)
    {
        var lines = new List<Line>();
        var number = 0;
        string? pending = null;
        int pendingIndent = 0, pendingNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var content = StripComment(raw.TrimEnd('\r'));
            if (pending is null)
            {
                if (content.Trim().Length == 0 || content.StartsWith("---", StringComparison.Ordinal) || content.StartsWith("...", StringComparison.Ordinal) || content.StartsWith('%'))
                {
                    continue;
                }

                if (content.Contains('\t', StringComparison.Ordinal) && content.TrimStart(' ').StartsWith('\t'))
                {
                    throw new YamlFormatException(number, "tabs are not allowed for indentation");
                }

                pendingIndent = content.Length - content.TrimStart(' ').Length;
                pendingNumber = number;
                pending = content.Trim();
            }
            else
            {
                pending += " " + content.Trim();
            }

            // A flow collection may continue on the next lines until its brackets close.
            if (Depth(pending) <= 0)
            {
                lines.Add(new Line(pendingNumber, pendingIndent, pending));
                pending = null;
            }
        }

        if (pending is not null)
        {
            throw new YamlFormatException(pendingNumber, "a flow collection ({ or [) is not closed");
        }

        return lines;
    }

    private static int Depth(string text)
    {
        var depth = 0;
        foreach (var i in Unquoted(text, " [{,:"))
        {
            depth += text[i] switch
            {
                '{' or '[' => 1,
                '}' or ']' => -1,
                _ => 0,
            };
        }

        return depth;
    }

    private static string StripComment(string line)
    {
        foreach (var i in Unquoted(line, " [{,:-"))
        {
            if (line[i] == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    /// <summary>
    /// Positions of the characters outside quoted scalars. A quote opens one only at the start or after one of
    /// <paramref name="openers"/>; inside double quotes a backslash escapes the next character (YAML 1.2 §7.3).
    /// </summary>
    private static IEnumerable<int> Unquoted(string text, string openers)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && (i == 0 || openers.Contains(text[i - 1], StringComparison.Ordinal)))
            {
                quote = c;
            }
            else
            {
                yield return i;
            }
        }
    }

    private static YamlNode Block(List<Line> lines, ref int position, int indent)
    {
        var first = lines[position];
        if (first.Text[0] is '{' or '[' or '"' or '\'' or '!')
        {
            // A flow collection or scalar on its own line, under its key.
            position++;
            return Inline(first.Text, first.Number);
        }

        return IsItem(first.Text) ? Sequence(lines, ref position, indent) : Mapping(lines, ref position, indent);
    }

    private static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static YamlNode Sequence(List<Line> lines, ref int position, int indent)
    {
        var items = new List<YamlNode>();
        var start = lines[position].Number;
        while (position < lines.Count && lines[position].Indent == indent && IsItem(lines[position].Text))
        {
            var line = lines[position];
            var rest = line.Text.Length > 1 ? line.Text[2..].TrimStart() : "";
            if (rest.Length == 0)
            {
                position++;
                items.Add(position < lines.Count && lines[position].Indent > indent ? Block(lines, ref position, lines[position].Indent) : new YamlNode { Line = line.Number, Scalar = "" });
            }
            else if (rest[0] is not ('{' or '[' or '"' or '\'' or '!') && KeyEnd(rest) >= 0)
            {
                // "- key: value": a mapping whose first entry is on the item's line.
                var itemIndent = indent + (line.Text.Length - rest.Length);
                lines[position] = line with { Indent = itemIndent, Text = rest };
                items.Add(Mapping(lines, ref position, itemIndent));
            }
            else
            {
                position++;
                items.Add(Inline(rest, line.Number));
            }
        }

        return new YamlNode { Line = start, Items = items };
    }

    private static YamlNode Mapping(List<Line> lines, ref int position, int indent)
    {
        var entries = new List<KeyValuePair<string, YamlNode>>();
        var start = lines[position].Number;
        while (position < lines.Count && lines[position].Indent == indent && !IsItem(lines[position].Text))
        {
            var line = lines[position];
            var end = KeyEnd(line.Text);
            if (end < 0)
            {
                throw new YamlFormatException(line.Number, $"expected 'key: value', found '{line.Text}'");
            }

            var key = Unquote(line.Text[..end].Trim(), line.Number);
            var rest = line.Text[(end + 1)..].Trim();
            position++;
            YamlNode value;
            if (rest.Length > 0)
            {
                value = Inline(rest, line.Number);
            }
            else if (position < lines.Count && (lines[position].Indent > indent || (lines[position].Indent == indent && IsItem(lines[position].Text))))
            {
                value = Block(lines, ref position, lines[position].Indent);
            }
            else
            {
                value = new YamlNode { Line = line.Number, Scalar = "" };
            }

            entries.Add(new(key, value));
        }

        return new YamlNode { Line = start, Entries = entries };
    }

    /// <summary>Index of the ':' that ends a block mapping key (followed by a space or the end), or -1.</summary>
    private static int KeyEnd(string text)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && i == 0)
            {
                quote = c;
            }
            else if (c is '{' or '[')
            {
                return -1;
            }
            else if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static YamlNode Inline(string text, int line)
    {
        var index = 0;
        var node = Flow(text, ref index, line, inFlow: false);
        SkipSpaces(text, ref index);
        if (index < text.Length)
        {
            throw new YamlFormatException(line, $"unexpected '{text[index..]}' after a value");
        }

        return node;
    }

    private static YamlNode Flow(string text, ref int index, int line, bool inFlow)
    {
        SkipSpaces(text, ref index);
        if (index < text.Length && text[index] == '!')
        {
            // A tag (!default, !<!default>) says how to read the value; the value itself follows.
            while (index < text.Length && text[index] != ' ' && !(inFlow && text[index] is ',' or '}' or ']'))
            {
                index++;
            }

            SkipSpaces(text, ref index);
            if (index >= text.Length || (inFlow && text[index] is ',' or '}' or ']'))
            {
                return new YamlNode { Line = line, Scalar = "" };
            }
        }

        if (index >= text.Length)
        {
            return new YamlNode { Line = line, Scalar = "" };
        }

        switch (text[index])
        {
            case '{':
                {
                    index++;
                    var entries = new List<KeyValuePair<string, YamlNode>>();
                    while (true)
                    {
                        SkipSpaces(text, ref index);
                        if (index < text.Length && text[index] == '}')
                        {
                            index++;
                            return new YamlNode { Line = line, Entries = entries };
                        }

                        var key = Flow(text, ref index, line, inFlow: true).Scalar ?? throw new YamlFormatException(line, "a mapping key must be a scalar");
                        SkipSpaces(text, ref index);
                        if (index >= text.Length || text[index] != ':')
                        {
                            throw new YamlFormatException(line, $"expected ':' after key '{key}'");
                        }

                        index++;
                        entries.Add(new(key, Flow(text, ref index, line, inFlow: true)));
                        Separator(text, ref index, line, '}');
                    }
                }

            case '[':
                {
                    index++;
                    var items = new List<YamlNode>();
                    while (true)
                    {
                        SkipSpaces(text, ref index);
                        if (index < text.Length && text[index] == ']')
                        {
                            index++;
                            return new YamlNode { Line = line, Items = items };
                        }

                        items.Add(Flow(text, ref index, line, inFlow: true));
                        Separator(text, ref index, line, ']');
                    }
                }

            case '"' or '\'':
                return new YamlNode { Line = line, Scalar = Quoted(text, ref index, line) };
            case '|' or '>' or '&' or '*':
                throw new YamlFormatException(line, $"'{text[index]}' (block scalars, anchors, aliases) is not used in qdmr codeplugs");
            default:
                {
                    var start = index;
                    while (index < text.Length && !(inFlow && (text[index] is ',' or '}' or ']' || (text[index] == ':' && (index + 1 == text.Length || text[index + 1] is ' ' or ',' or '}' or ']')))))
                    {
                        index++;
                    }

                    return new YamlNode { Line = line, Scalar = text[start..index].Trim() };
                }
        }
    }

    private static void Separator(string text, ref int index, int line, char close)
    {
        SkipSpaces(text, ref index);
        if (index < text.Length && text[index] == ',')
        {
            index++;
        }
        else if (index >= text.Length || text[index] != close)
        {
            throw new YamlFormatException(line, $"expected ',' or '{close}' in a flow collection");
        }
    }

    private static string Unquote(string text, int line)
    {
        if (text.Length > 0 && text[0] is '"' or '\'')
        {
            var index = 0;
            return Quoted(text, ref index, line);
        }

        return text;
    }

    private static string Quoted(string text, ref int index, int line)
    {
        var quote = text[index++];
        var value = new StringBuilder();
        while (index < text.Length)
        {
            var c = text[index++];
            if (c == quote)
            {
                if (quote == '\'' && index < text.Length && text[index] == '\'')
                {
                    value.Append('\'');
                    index++;
                    continue;
                }

                return value.ToString();
            }

            if (c == '\\' && quote == '"' && index < text.Length)
            {
                var escape = text[index++];
                switch (escape)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case '0': value.Append('\0'); break;
                    case 'u' or 'x' or 'U':
                        var digits = escape switch { 'x' => 2, 'u' => 4, _ => 8 };
                        if (index + digits > text.Length || !int.TryParse(text.AsSpan(index, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw new YamlFormatException(line, $"bad \\{escape} escape");
                        }

                        value.Append(char.ConvertFromUtf32(code));
                        index += digits;
                        break;
                    default: value.Append(escape); break;
                }

                continue;
            }

            value.Append(c);
        }

        throw new YamlFormatException(line, "a quoted string is not closed");
    }

    private static void SkipSpaces(string text, ref int index)
    {
        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }
    }
}
