using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RadioGateway.Core.Tests.CloudEvents;

/// <summary>
/// A JSON Schema 2020-12 validator for the subset contracts/schemas uses: type, const, enum, required,
/// properties, additionalProperties (boolean), minimum, maximum, minLength, maxLength, format date-time and $ref
/// within the same file. A keyword outside the subset throws, so nothing is silently skipped.
/// In strict mode an object schema with properties but no additionalProperties is treated as closed,
/// so the tests catch fields the serializer writes but the schema does not document.
/// </summary>
public sealed partial class MiniJsonSchema
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "$defs", "title", "description"];
    private static readonly HashSet<string> Keywords =
        ["type", "const", "enum", "required", "properties", "additionalProperties", "minimum", "maximum", "minLength", "maxLength", "format", "$ref"];

    private readonly JsonElement _root;
    private readonly bool _strict;

    public MiniJsonSchema(JsonElement root, bool strict)
    {
        _root = root;
        _strict = strict;
    }

    public static MiniJsonSchema Load(string path, bool strict = true) =>
        new(JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone(), strict);

    /// <summary>Validates <paramref name="instance"/>; returns one message per violation, each naming its JSON path.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(_root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Keywords.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
            {
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' is outside the validator's subset.");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), instance, path, errors);
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, instance))
        {
            errors.Add($"{path}: expected type {type.GetRawText()}, got {instance.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
        {
            errors.Add($"{path}: expected {constant.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, instance)))
        {
            errors.Add($"{path}: {instance.GetRawText()} is not one of {allowed.GetRawText()}");
        }

        if (instance.ValueKind == JsonValueKind.Number)
        {
            var value = instance.GetDouble();
            if (schema.TryGetProperty("minimum", out var minimum) && value < minimum.GetDouble())
            {
                errors.Add($"{path}: {value} is below {minimum.GetDouble()}");
            }

            if (schema.TryGetProperty("maximum", out var maximum) && value > maximum.GetDouble())
            {
                errors.Add($"{path}: {value} is above {maximum.GetDouble()}");
            }
        }

        if (instance.ValueKind == JsonValueKind.String)
        {
            var text = instance.GetString()!;
            if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32())
            {
                errors.Add($"{path}: longer than {maxLength.GetInt32()}");
            }

            if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
            {
                errors.Add($"{path}: shorter than {minLength.GetInt32()}");
            }

            if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && !IsDateTime(text))
            {
                errors.Add($"{path}: '{text}' is not an RFC 3339 date-time");
            }
        }

        if (instance.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, instance, path, errors);
        }
    }

    private void CheckObject(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: missing required '{name}'");
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var closed = schema.TryGetProperty("additionalProperties", out var additional)
            ? additional.ValueKind == JsonValueKind.False
            : _strict && hasProperties;
        foreach (var member in instance.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(member.Name, out var memberSchema))
            {
                Check(memberSchema, member.Value, path + "." + member.Name, errors);
            }
            else if (closed)
            {
                errors.Add($"{path}: property '{member.Name}' is not in the schema");
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only in-file $ref is supported: {reference}");
        }

        var node = _root;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private static bool TypeMatches(JsonElement type, JsonElement instance) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => TypeMatches(t.GetString()!, instance))
            : TypeMatches(type.GetString()!, instance);

    private static bool TypeMatches(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        _ => throw new NotSupportedException($"Unknown type '{type}'."),
    };

    // RFC 3339 §5.6 date-time.
    private static bool IsDateTime(string text) =>
        DateTimeRegex().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();
}
