using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Motorola;

/// <summary>ARS PDU types (low 4 bits of the first header).</summary>
public enum ArsPduType : byte
{
    DeviceRegistration = 0x0,
    DeviceDeregistration = 0x1,
    StatusQuery = 0x4,
    UserRegistration = 0x5,
    UserDeregistration = 0x6,
    UserRegistrationResponse = 0x7,
    Response = 0xF,
}

/// <summary>An ARS PDU: registration (with the radio's identifier), deregistration, query or response.</summary>
public sealed record ArsMessage
{
    public required ArsPduType Type { get; init; }

    /// <summary>First header bit 6: in requests "acknowledge me"; in a response "this is a failure".</summary>
    public bool Acknowledged { get; init; }

    public bool Priority { get; init; }

    public string? DeviceId { get; init; }

    public string? UserId { get; init; }

    /// <summary>Never logged; kept only so a round trip is exact.</summary>
    public string? Password { get; init; }

    /// <summary>Response: refresh interval in minutes (success) or failure reason code (failure).</summary>
    public int? RefreshMinutes { get; init; }

    public int? FailureReason { get; init; }

    public bool IsOnline => Type is ArsPduType.DeviceRegistration or ArsPduType.UserRegistration;

    public bool IsOffline => Type is ArsPduType.DeviceDeregistration or ArsPduType.UserDeregistration;
}

/// <summary>
/// Motorola Automatic Registration Service (UDP 4005): 2-octet length, first header (bit 7 more headers, bit 6
/// acknowledged, bit 5 priority, bit 4 control, bits 3–0 PDU type), then per type length-prefixed UTF-8 device
/// id, user id and password, or a response header (refresh time in 30-minute units, or a failure reason).
/// </summary>
public static class Ars
{
    public const int Port = 4005;

    public const int MaxLength = 512;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out ArsMessage? message, out int consumed, out DecodeError error) =>
        LengthPrefixed.TryDecode<ArsMessage>(input, MaxLength, "ARS", Parse, out message, out consumed, out error);

    private static ArsMessage? Parse(ReadOnlySpan<byte> pdu, out DecodeError error)
    {
        error = default;
        var first = pdu[0];
        var more = (first & 0x80) != 0;
        var acknowledged = (first & 0x40) != 0;
        var priority = (first & 0x20) != 0;
        var type = (ArsPduType)(first & 0x0F);
        var position = 1;
        switch (type)
        {
            case ArsPduType.DeviceRegistration or ArsPduType.UserRegistration:
            {
                if (more)
                {
                    position++; // registration header: event and encoding (UTF-8 is the only one defined)
                }

                string?[] fields = new string?[3];
                for (var i = 0; i < 3; i++)
                {
                    if (position >= pdu.Length)
                    {
                        // Short forms end after the device id.
                        break;
                    }

                    var fieldLength = pdu[position];
                    if (position + 1 + fieldLength > pdu.Length)
                    {
                        error = new DecodeError(2 + position, $"field of {fieldLength} octets runs past the PDU");
                        return null;
                    }

                    fields[i] = Encoding.UTF8.GetString(pdu.Slice(position + 1, fieldLength));
                    position += 1 + fieldLength;
                }

                return new ArsMessage { Type = type, Acknowledged = acknowledged, Priority = priority, DeviceId = fields[0], UserId = fields[1], Password = fields[2] };
            }

            case ArsPduType.Response or ArsPduType.UserRegistrationResponse:
            {
                int? value = more && pdu.Length > 1 ? pdu[1] & 0x7F : null;
                return acknowledged
                    ? new ArsMessage { Type = type, Acknowledged = true, Priority = priority, FailureReason = value }
                    : new ArsMessage { Type = type, Priority = priority, RefreshMinutes = value * 30 };
            }

            case ArsPduType.DeviceDeregistration or ArsPduType.UserDeregistration or ArsPduType.StatusQuery:
                return new ArsMessage { Type = type, Acknowledged = acknowledged, Priority = priority };
            default:
                error = new DecodeError(2, $"ARS PDU type 0x{(int)type:X} is not defined");
                return null;
        }
    }

    /// <summary>A device registration as a radio sends it at power-up (acknowledged, with its identifier).</summary>
    public static void WriteDeviceRegistration(IBufferWriter<byte> output, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var id = Encoding.UTF8.GetBytes(deviceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id.Length, 255);
        WritePdu(output, [0xF0, 0x20, (byte)id.Length, .. id, 0x00, 0x00]);
    }

    /// <summary>A deregistration notice (power-down).</summary>
    public static void WriteDeregistration(IBufferWriter<byte> output) => WritePdu(output, [0x31]);

    /// <summary>The gateway's successful answer with a refresh interval in 30-minute units.</summary>
    public static void WriteRegistrationAccepted(IBufferWriter<byte> output, int refreshHalfHours) => WritePdu(output, [0xBF, (byte)(refreshHalfHours & 0x7F)]);

    private static void WritePdu(IBufferWriter<byte> output, ReadOnlySpan<byte> pdu) => LengthPrefixed.Write(output, pdu);
}
