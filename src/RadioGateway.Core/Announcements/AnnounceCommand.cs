using System.Text.Json;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Announcements;

/// <summary>
/// <c>commands/announce</c>: CloudEvents JSON whose <c>id</c> is the command id and whose <c>data</c> is
/// {<c>to</c> {<c>id</c>, <c>type</c>}, and either <c>text</c> (spoken by espeak-ng in <c>voice</c> <c>fa</c> or
/// <c>en</c>, default <c>fa</c>) or <c>audioFile</c> (a WAV file name in the gateway's announcements directory)}.
/// </summary>
public sealed record AnnounceCommand(string Id, uint Target, TargetType TargetType, string? Text, string Voice, string? AudioFile)
{
    public const string Kind = "announce";

    public const int MaxTextLength = 1000;

    public static readonly string[] Voices = ["fa", "en"];

    /// <returns>The command, or null with <paramref name="problem"/> naming the field; <paramref name="commandId"/> whenever the payload had one.</returns>
    public static AnnounceCommand? Parse(ReadOnlySpan<byte> payload, out string? commandId, out string? problem)
    {
        commandId = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            problem = $"payload: not JSON ({e.Message})";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 128 } idText)
            {
                problem = "id: a command id (1–128 characters) is required";
                return null;
            }

            commandId = idText;
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                problem = "data: an object is required";
                return null;
            }

            if (!data.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Object
                || !to.TryGetProperty("id", out var target) || target.ValueKind != JsonValueKind.Number || !target.TryGetUInt32(out var targetId) || targetId is 0 or > 16777215)
            {
                problem = "data.to.id: a unit or talk-group id 1–16777215 is required";
                return null;
            }

            var type = to.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
            if (type is not ("group" or "unit"))
            {
                problem = "data.to.type: 'group' or 'unit' is required";
                return null;
            }

            var text = String(data, "text");
            var audioFile = String(data, "audioFile");
            var voice = String(data, "voice") ?? "fa";
            if ((text is null) == (audioFile is null))
            {
                problem = "data: give either text or audioFile";
                return null;
            }

            if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength))
            {
                problem = $"data.text: 1–{MaxTextLength} characters are required";
                return null;
            }

            if (!Voices.Contains(voice, StringComparer.Ordinal))
            {
                problem = $"data.voice: '{voice}' is not one of {string.Join(", ", Voices)}";
                return null;
            }

            // A bare file name: the central system cannot reach outside the announcements directory.
            if (audioFile is not null && (audioFile.Length > 200 || audioFile != Path.GetFileName(audioFile) || audioFile.StartsWith('.') || !audioFile.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)))
            {
                problem = "data.audioFile: a .wav file name in the gateway's announcements directory (no path) is required";
                return null;
            }

            problem = null;
            return new AnnounceCommand(idText, targetId, type == "group" ? TargetType.Group : TargetType.Unit, text, voice, audioFile);
        }
    }

    private static string? String(JsonElement data, string name) =>
        data.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
