using System.Buffers.Binary;
using RadioGateway.Protocols.Dmr.Crc;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>Data packet format (DPF) of a data header (TS 102 361-1 §9.3.17, Table 9.44).</summary>
public enum DataPacketFormat : byte
{
    UnifiedDataTransport = 0b0000,
    Response = 0b0001,
    Unconfirmed = 0b0010,
    Confirmed = 0b0011,
    ShortDataDefined = 0b1101,
    ShortDataRaw = 0b1110,
    Proprietary = 0b1111,
}

/// <summary>Service access point of the packet (TS 102 361-1 §9.3.18, Table 9.45).</summary>
public enum ServiceAccessPoint : byte
{
    UnifiedDataTransport = 0b0000,
    TcpIpCompressed = 0b0010,
    UdpIpCompressed = 0b0011,
    IpPacketData = 0b0100,
    Arp = 0b0101,
    Proprietary = 0b1001,
    ShortData = 0b1010,
}

/// <summary>
/// A data header (TS 102 361-1 §9.2.6–9.2.13): 10 octets of fields and a CRC-CCITT masked with 0xCCCC.
/// Fields that a format does not carry are zero. <see cref="BlocksToFollow"/> counts the data blocks of the
/// packet (for short data and UDT, the appended blocks).
/// </summary>
public sealed record DataHeader
{
    public const int Length = 12;

    public required DataPacketFormat Format { get; init; }

    public ServiceAccessPoint Sap { get; init; }

    public bool IsGroup { get; init; }

    public bool ResponseRequested { get; init; }

    public uint Destination { get; init; }

    public uint Source { get; init; }

    public int BlocksToFollow { get; init; }

    /// <summary>Octets of padding at the end of the user data (unconfirmed/confirmed).</summary>
    public int PadOctets { get; init; }

    /// <summary>F: 1 = first try to deliver the whole packet.</summary>
    public bool FullMessage { get; init; }

    /// <summary>Confirmed: S (resynchronise), N(S) send sequence; unconfirmed/confirmed: fragment sequence FSN.</summary>
    public bool Resynchronise { get; init; }

    public int SendSequence { get; init; }

    public int FragmentSequence { get; init; }

    /// <summary>
    /// The packet is the last fragment: FSN most significant bit set (TS 102 361-1 §9.3, FSN), or FSN 0000, the
    /// single fragment of unconfirmed data.
    /// </summary>
    public bool LastFragment => (FragmentSequence & 0x08) != 0 || (Format == DataPacketFormat.Unconfirmed && FragmentSequence == 0);

    /// <summary>Response: class, type, status (§9.3.23, Table 9.50).</summary>
    public int ResponseClass { get; init; }

    public int ResponseType { get; init; }

    public int ResponseStatus { get; init; }

    /// <summary>Short data defined: DD format (§9.3.32), SARQ.</summary>
    public int DefinedDataFormat { get; init; }

    public bool SelectiveRetry { get; init; }

    /// <summary>Short data raw: source and destination port (3 bits each).</summary>
    public int SourcePort { get; init; }

    public int DestinationPort { get; init; }

    /// <summary>Bits of padding at the end of short data.</summary>
    public int PadBits { get; init; }

    /// <summary>UDT: format (§9.3.53), pad nibbles, supplementary flag, opcode, emergency.</summary>
    public int UdtFormat { get; init; }

    public int PadNibbles { get; init; }

    public bool Supplementary { get; init; }

    public int UdtOpcode { get; init; }

    public bool Emergency { get; init; }

    /// <summary>Short data status/precoded (SP_HEAD, raw short data with no appended blocks): the 10-bit status.</summary>
    public int StatusPrecoded { get; init; }

    /// <summary>A response packet saying every block of a confirmed packet arrived (class 0, type 1).</summary>
    public bool IsAcknowledgement => Format == DataPacketFormat.Response && ResponseClass == 0 && ResponseType == 1;

    /// <summary>
    /// A response asking for blocks again because their CRC failed: a selective ACK (class 2, type 0, with a
    /// bitmap of the blocks to repeat) or a NACK for a CRC failure (class 1, type 1) — TS 102 361-1 Table 8.3.
    /// </summary>
    public bool IsCrcRetryRequest => Format == DataPacketFormat.Response && ((ResponseClass == 2 && ResponseType == 0) || (ResponseClass == 1 && ResponseType == 1));

    /// <summary>Proprietary: manufacturer id.</summary>
    public byte ManufacturerId { get; init; }

    public static DataHeader? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        if (bytes.Length != Length)
        {
            error = $"a data header is {Length} octets, got {bytes.Length}";
            return null;
        }

        var expected = Crc16Ccitt.Compute(bytes[..10], Crc16Ccitt.DataHeaderMask);
        var actual = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
        if (expected != actual)
        {
            error = $"data header CRC at byte 10 is 0x{actual:X4}, expected 0x{expected:X4}";
            return null;
        }

        error = null;
        var format = (DataPacketFormat)(bytes[0] & 0x0F);
        var sap = (ServiceAccessPoint)(bytes[1] >> 4);
        var group = (bytes[0] & 0x80) != 0;
        var response = (bytes[0] & 0x40) != 0;
        var destination = Read24(bytes[2..]);
        var source = Read24(bytes[5..]);
        var appendedBlocks = (bytes[0] & 0x30) | (bytes[1] & 0x0F); // short data: 2 + 4 bits (§9.2.10–9.2.12)
        switch (format)
        {
            case DataPacketFormat.Unconfirmed or DataPacketFormat.Confirmed:
                return new DataHeader
                {
                    Format = format,
                    IsGroup = group,
                    ResponseRequested = response,
                    PadOctets = ((bytes[0] & 0x10) >> 0) | (bytes[1] & 0x0F),
                    Sap = sap,
                    Destination = destination,
                    Source = source,
                    FullMessage = (bytes[8] & 0x80) != 0,
                    BlocksToFollow = bytes[8] & 0x7F,
                    Resynchronise = format == DataPacketFormat.Confirmed && (bytes[9] & 0x80) != 0,
                    SendSequence = format == DataPacketFormat.Confirmed ? (bytes[9] >> 4) & 0x07 : 0,
                    FragmentSequence = bytes[9] & 0x0F,
                };
            case DataPacketFormat.Response:
                return new DataHeader
                {
                    Format = format,
                    ResponseRequested = response,
                    Sap = sap,
                    Destination = destination,
                    Source = source,
                    FullMessage = (bytes[8] & 0x80) != 0,
                    BlocksToFollow = bytes[8] & 0x7F,
                    ResponseClass = bytes[9] >> 6,
                    ResponseType = (bytes[9] >> 3) & 0x07,
                    ResponseStatus = bytes[9] & 0x07,
                };
            case DataPacketFormat.ShortDataDefined:
                return new DataHeader
                {
                    Format = format,
                    IsGroup = group,
                    ResponseRequested = response,
                    BlocksToFollow = appendedBlocks,
                    Sap = sap,
                    Destination = destination,
                    Source = source,
                    DefinedDataFormat = bytes[8] >> 2,
                    SelectiveRetry = (bytes[8] & 0x02) != 0,
                    FullMessage = (bytes[8] & 0x01) != 0,
                    PadBits = bytes[9],
                };
            case DataPacketFormat.ShortDataRaw:
                return new DataHeader
                {
                    Format = format,
                    IsGroup = group,
                    ResponseRequested = response,
                    BlocksToFollow = appendedBlocks,
                    Sap = sap,
                    Destination = destination,
                    Source = source,
                    SourcePort = bytes[8] >> 5,
                    DestinationPort = (bytes[8] >> 2) & 0x07,
                    // R_HEAD (§9.2.11) with appended blocks; SP_HEAD (§9.2.10) without: a 10-bit status instead.
                    SelectiveRetry = appendedBlocks > 0 && (bytes[8] & 0x02) != 0,
                    FullMessage = appendedBlocks > 0 && (bytes[8] & 0x01) != 0,
                    PadBits = appendedBlocks > 0 ? bytes[9] : 0,
                    StatusPrecoded = appendedBlocks == 0 ? ((bytes[8] & 0x03) << 8) | bytes[9] : 0,
                };
            case DataPacketFormat.UnifiedDataTransport:
                return new DataHeader
                {
                    Format = format,
                    IsGroup = group,
                    ResponseRequested = response,
                    Emergency = (bytes[0] & 0x20) != 0,
                    Sap = sap,
                    UdtFormat = bytes[1] & 0x0F,
                    Destination = destination,
                    Source = source,
                    PadNibbles = bytes[8] >> 3,
                    BlocksToFollow = (bytes[8] & 0x03) + 1,
                    Supplementary = (bytes[9] & 0x80) != 0,
                    UdtOpcode = bytes[9] & 0x3F,
                };
            case DataPacketFormat.Proprietary:
                return new DataHeader
                {
                    Format = format,
                    Sap = (ServiceAccessPoint)(bytes[0] >> 4),
                    ManufacturerId = bytes[1],
                };
            default:
                error = $"data packet format 0x{(int)format:X} at byte 0 is reserved (TS 102 361-1 Table 9.44)";
                return null;
        }
    }

    /// <summary>Encodes an unconfirmed, confirmed, response, short data or UDT header with its CRC.</summary>
    public void Encode(Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, Length);
        output[..Length].Clear();
        output[0] = (byte)((IsGroup ? 0x80 : 0) | (ResponseRequested ? 0x40 : 0) | (int)Format);
        switch (Format)
        {
            case DataPacketFormat.Unconfirmed or DataPacketFormat.Confirmed:
                output[0] |= (byte)(PadOctets & 0x10);
                output[1] = (byte)(((int)Sap << 4) | (PadOctets & 0x0F));
                output[8] = (byte)((FullMessage ? 0x80 : 0) | (BlocksToFollow & 0x7F));
                output[9] = Format == DataPacketFormat.Confirmed
                    ? (byte)((Resynchronise ? 0x80 : 0) | ((SendSequence & 0x07) << 4) | (FragmentSequence & 0x0F))
                    : (byte)(FragmentSequence & 0x0F);
                break;
            case DataPacketFormat.Response:
                output[1] = (byte)((int)Sap << 4);
                output[8] = (byte)((FullMessage ? 0x80 : 0) | (BlocksToFollow & 0x7F));
                output[9] = (byte)((ResponseClass << 6) | ((ResponseType & 0x07) << 3) | (ResponseStatus & 0x07));
                break;
            case DataPacketFormat.ShortDataDefined or DataPacketFormat.ShortDataRaw:
                // Appended blocks: 2 bits in octet 0 (bits 5–4), 4 in octet 1 (§9.2.11/§9.2.12).
                output[0] |= (byte)(BlocksToFollow & 0x30);
                output[1] = (byte)(((int)Sap << 4) | (BlocksToFollow & 0x0F));
                output[8] = Format == DataPacketFormat.ShortDataDefined
                    ? (byte)((DefinedDataFormat << 2) | (SelectiveRetry ? 0x02 : 0) | (FullMessage ? 0x01 : 0))
                    : (byte)((SourcePort << 5) | ((DestinationPort & 0x07) << 2) | (SelectiveRetry ? 0x02 : 0) | (FullMessage ? 0x01 : 0));
                output[9] = (byte)PadBits;
                break;
            case DataPacketFormat.UnifiedDataTransport:
                // §9.2.13: emergency (octet 0 bit 5), UDT format, pad nibbles, appended blocks − 1, SF, opcode.
                output[0] |= (byte)(Emergency ? 0x20 : 0);
                output[1] = (byte)(((int)Sap << 4) | (UdtFormat & 0x0F));
                output[8] = (byte)(((PadNibbles & 0x1F) << 3) | ((BlocksToFollow - 1) & 0x03));
                output[9] = (byte)((Supplementary ? 0x80 : 0) | (UdtOpcode & 0x3F));
                break;
            default:
                throw new NotSupportedException($"encoding a {Format} header is not needed by the gateway");
        }

        Write24(output[2..], Destination);
        Write24(output[5..], Source);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], Crc16Ccitt.Compute(output[..10], Crc16Ccitt.DataHeaderMask));
    }

    private static uint Read24(ReadOnlySpan<byte> bytes) => (uint)((bytes[0] << 16) | (bytes[1] << 8) | bytes[2]);

    private static void Write24(Span<byte> bytes, uint value)
    {
        bytes[0] = (byte)(value >> 16);
        bytes[1] = (byte)(value >> 8);
        bytes[2] = (byte)value;
    }
}
