using System.Text;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>Talker alias data format (TS 102 361-2 §7.2.18).</summary>
public enum TalkerAliasFormat : byte
{
    SevenBit = 0,
    Iso8859 = 1,
    Utf8 = 2,
    Utf16BigEndian = 3,
}

/// <summary>
/// Talker alias (TS 102 361-2 §7.1.1.4): a header LC (FLCO 4: format, length in characters, 49 data bits)
/// and up to three block LCs (FLCO 5–7: 56 data bits each).
/// </summary>
public static class TalkerAlias
{
    /// <summary>Data bytes a header carries (after the format/length octet), excluding its one extra bit.</summary>
    private const int HeaderBytes = 6;
    private const int BlockBytes = 7;

    /// <summary>Encodes <paramref name="alias"/> as header + blocks; UTF-16BE (Persian-safe) unless all characters are 7-bit.</summary>
    public static IReadOnlyList<FullLinkControl> Encode(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        var sevenBit = alias.All(c => c < 0x80);
        var format = sevenBit ? TalkerAliasFormat.SevenBit : TalkerAliasFormat.Utf16BigEndian;
        var maxCharacters = sevenBit ? 31 : 13;
        if (alias.Length > maxCharacters)
        {
            alias = alias[..maxCharacters];
        }

        // Header: 49 bits (1 bit in the format octet + 6 bytes); blocks: 56 bits each.
        var payload = new byte[28];
        var bitLength = 0;
        if (sevenBit)
        {
            bitLength = 7;
            foreach (var c in alias)
            {
                BitBuffer.Write(payload, bitLength, 7, c);
                bitLength += 7;
            }
        }
        else
        {
            var bytes = Encoding.BigEndianUnicode.GetBytes(alias);
            bytes.CopyTo(payload.AsSpan(1));
            bitLength = 8 + (bytes.Length * 8);
        }

        // payload bit 7 is the header's extra bit; the 48 header bits follow; blocks after.
        var lcs = new List<FullLinkControl>();
        Span<byte> lc = stackalloc byte[FullLinkControl.Length];
        lc.Clear();
        lc[0] = (byte)Flco.TalkerAliasHeader;
        lc[2] = (byte)(((byte)format << 6) | (alias.Length << 1) | (BitBuffer.Get(payload, 7) ? 1 : 0));
        payload.AsSpan(1, HeaderBytes).CopyTo(lc[3..]);
        lcs.Add(new FullLinkControl(lc));
        var usedBits = 8 + (HeaderBytes * 8);
        for (var block = 0; block < 3 && usedBits < bitLength; block++)
        {
            lc.Clear();
            lc[0] = (byte)((int)Flco.TalkerAliasBlock1 + block);
            payload.AsSpan(1 + HeaderBytes + (block * BlockBytes), BlockBytes).CopyTo(lc[2..]);
            lcs.Add(new FullLinkControl(lc));
            usedBits += BlockBytes * 8;
        }

        return lcs;
    }

    /// <summary>How many blocks (after the header) an alias needs.</summary>
    public static int BlocksFor(string alias) => Encode(alias).Count - 1;
}

/// <summary>Collects a talker alias header and its blocks (in any order) and yields the text once complete.</summary>
public sealed class TalkerAliasAssembler
{
    private readonly byte[] _payload = new byte[28];
    private readonly bool[] _blocks = new bool[3];
    private TalkerAliasFormat _format;
    private int _length = -1;

    /// <summary>Adds a header or block LC; returns the alias when all parts its length needs are present.</summary>
    public string? Add(FullLinkControl lc)
    {
        ArgumentNullException.ThrowIfNull(lc);
        return Add(lc.Bytes);
    }

    /// <summary>Adds the 9 octets of a header or block LC; returns the alias when all parts its length needs are present.</summary>
    public string? Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FullLinkControl.Length)
        {
            throw new ArgumentException($"Full LC is {FullLinkControl.Length} bytes; got {bytes.Length}", nameof(bytes));
        }

        var opcode = (Flco)(bytes[0] & 0x3F);
        switch (opcode)
        {
            case Flco.TalkerAliasHeader:
                // A header starts a new alias: blocks heard before it belong to an earlier one.
                Array.Clear(_blocks);
                _format = (TalkerAliasFormat)(bytes[2] >> 6);
                _length = (bytes[2] >> 1) & 0x1F;
                BitBuffer.Set(_payload, 7, (bytes[2] & 1) != 0);
                bytes.Slice(3, 6).CopyTo(_payload.AsSpan(1));
                break;
            case Flco.TalkerAliasBlock1 or Flco.TalkerAliasBlock2 or Flco.TalkerAliasBlock3:
                var block = opcode - Flco.TalkerAliasBlock1;
                bytes.Slice(2, 7).CopyTo(_payload.AsSpan(7 + (block * 7)));
                _blocks[block] = true;
                break;
            default:
                return null;
        }

        if (_length < 0)
        {
            return null;
        }

        var neededBits = _format switch
        {
            TalkerAliasFormat.SevenBit => _length * 7,
            TalkerAliasFormat.Utf16BigEndian => _length * 16,
            _ => _length * 8,
        };
        var firstBit = _format == TalkerAliasFormat.SevenBit ? 7 : 8;
        // Bits beyond the header's 56, in blocks of 56, rounded up.
        var blocksNeeded = Math.Max(0, (firstBit + neededBits - 56 + 55) / 56);
        if (blocksNeeded > 3 || _blocks.AsSpan(0, blocksNeeded).Contains(false))
        {
            return null;
        }

        return Decode(neededBits);
    }

    public void Reset()
    {
        Array.Clear(_payload);
        Array.Clear(_blocks);
        _length = -1;
    }

    private string Decode(int neededBits)
    {
        switch (_format)
        {
            case TalkerAliasFormat.SevenBit:
                var chars = new char[_length];
                for (var i = 0; i < _length; i++)
                {
                    chars[i] = (char)BitBuffer.Read(_payload, 7 + (i * 7), 7);
                }

                return new string(chars);
            case TalkerAliasFormat.Utf16BigEndian:
                return Encoding.BigEndianUnicode.GetString(_payload, 1, neededBits / 8);
            case TalkerAliasFormat.Utf8:
                return Encoding.UTF8.GetString(_payload, 1, Math.Min(neededBits / 8, 27)).TrimEnd('\0', '\uFFFD');
            default:
                return Encoding.Latin1.GetString(_payload, 1, neededBits / 8);
        }
    }
}
