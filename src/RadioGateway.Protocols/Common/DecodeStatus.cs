namespace RadioGateway.Protocols.Common;

/// <summary>Outcome of a payload decoder given the bytes received so far.</summary>
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
