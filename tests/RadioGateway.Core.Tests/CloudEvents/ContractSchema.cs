using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace RadioGateway.Core.Tests.CloudEvents;

/// <summary>
/// A schema from contracts/schemas, evaluated by JsonSchema.Net (2020-12) more strictly than consumers must, so the
/// tests catch drift between serializer and contract: an object schema that lists properties but does not say
/// <c>additionalProperties</c> is closed (a field the serializer writes but the schema does not document fails);
/// an unknown keyword (a typo such as <c>requried</c>) fails the load; <c>date-time</c> needs the 'T' of
/// RFC 3339 §5.6, where JsonSchema.Net also takes a space or '_'.
/// </summary>
public sealed class ContractSchema
{
    private static readonly Uri Draft202012 = new("https://json-schema.org/draft/2020-12/schema");
    private static readonly DialectRegistry Dialects = StrictDialects();
    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
        FormatRegistry = StrictFormats(),
    };

    private readonly JsonSchema _schema;

    private ContractSchema(JsonSchema schema) => _schema = schema;

    public static ContractSchema Load(string path) => Parse(File.ReadAllText(path));

    /// <exception cref="JsonSchemaException">The schema uses a keyword 2020-12 does not define.</exception>
    public static ContractSchema Parse(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new InvalidDataException("A schema cannot be null.");
        Close(root);

        // A registry per schema: the files' $ids would clash in the shared global one across loads.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), DialectRegistry = Dialects };
        return new(JsonSchema.Build(JsonSerializer.SerializeToElement(root), options));
    }

    /// <summary>Every violation, each with the instance location it concerns.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance)
    {
        var results = _schema.Evaluate(instance, Evaluation);
        return [.. (results.Details ?? []).Where(node => node.Errors is not null).SelectMany(node => node.Errors!.Select(error =>
            new SchemaError(node.InstanceLocation.ToString(), error.Key.Length == 0 ? node.EvaluationPath.ToString() : $"{node.EvaluationPath}/{error.Key}", error.Value)))];
    }

    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema.ContainsKey("properties") && !schema.ContainsKey("additionalProperties"))
                {
                    schema["additionalProperties"] = false;
                }

                foreach (var child in schema.Select(p => p.Value).ToList())
                {
                    Close(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Close(child);
                }

                break;
        }
    }

    private static DialectRegistry StrictDialects()
    {
        var registry = new DialectRegistry();
        registry.Register(Dialect.Draft202012.With([], id: Draft202012, allowUnknownKeywords: false));
        return registry;
    }

    private static FormatRegistry StrictFormats()
    {
        var registry = new FormatRegistry();
        registry.Register(new PredicateFormat("date-time", value => value.ValueKind != JsonValueKind.String
            || (value.GetString() is { Length: > 10 } text && text[10] is 'T' or 't' && Formats.DateTime.Validate(value, out _))));
        return registry;
    }
}

/// <summary>One violation: where in the instance (JSON Pointer, "" for the root), the schema keyword that failed, and why.</summary>
public sealed record SchemaError(string Location, string SchemaPath, string Message);
