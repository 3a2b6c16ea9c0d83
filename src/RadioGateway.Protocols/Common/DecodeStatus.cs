namespace RadioGateway.Protocols.Common;

/// <summary>
/// Outcome of a decoder. The one convention of every decoder in this assembly:
/// <list type="bullet">
/// <item>over a stream (resumable): <c>DecodeStatus TryDecode(ReadOnlySequence&lt;byte&gt; input, out T? value, out int consumed, out DecodeError error)</c>;</item>
/// <item>a reader that resynchronises: <c>DecodeStatus TryRead(ref ReadOnlySequence&lt;byte&gt; buffer, out T? value, out DecodeError skipped)</c>;</item>
/// <item>over one whole message (already framed): <c>DecodeStatus TryDecode(message, out T? value, out DecodeError error)</c>, never <see cref="NeedMoreData"/>.</item>
/// </list>
/// <see cref="Done"/> always comes with a value, <see cref="Invalid"/> with none and a <see cref="DecodeError"/> naming the offset and the fault.
/// </summary>
public enum DecodeStatus
{
    /// <summary>A whole message was decoded; the decoder reports how many bytes it consumed.</summary>
    Done,

    /// <summary>The input is a valid prefix of a message; give the decoder more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>The input cannot be a valid message; <see cref="DecodeError"/> says what and where.</summary>
    Invalid,
}

/// <summary>Why an input did not decode: the byte offset (from the start of the message) and what is wrong there.</summary>
public readonly record struct DecodeError(long Offset, string Message)
{
    public override string ToString() => $"byte {Offset}: {Message}";
}
