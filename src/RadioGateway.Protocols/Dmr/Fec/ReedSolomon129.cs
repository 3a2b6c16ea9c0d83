namespace RadioGateway.Protocols.Dmr.Fec;

/// <summary>
/// Reed–Solomon (12,9) over GF(2⁸) with x⁸+x⁴+x³+x²+1 (TS 102 361-1 §B.3.6): 9 bytes of full link
/// control and 3 parity bytes, XORed with the data-type mask (Table B.21: voice LC header 0x96, terminator 0x99).
/// Corrects one wrong byte.
/// </summary>
public static class ReedSolomon129
{
    public const byte VoiceLcHeaderMask = 0x96;
    public const byte TerminatorWithLcMask = 0x99;

    private static readonly byte[] Exp = new byte[512];
    private static readonly byte[] Log = new byte[256];

    // g(x) = (x + α)(x + α²)(x + α³) = x³ + 14x² + 56x + 64
    private static readonly byte[] Generator = [64, 56, 14];

    /// <summary>Products by α, α² and α³ of every field element, for the syndromes.</summary>
    private static readonly byte[] TimesAlpha1 = new byte[256];
    private static readonly byte[] TimesAlpha2 = new byte[256];
    private static readonly byte[] TimesAlpha3 = new byte[256];

    static ReedSolomon129()
    {
        var value = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)value;
            Log[value] = (byte)i;
            value <<= 1;
            if (value > 0xFF)
            {
                value ^= 0x11D;
            }
        }

        for (var i = 255; i < Exp.Length; i++)
        {
            Exp[i] = Exp[i - 255];
        }

        for (var element = 0; element < 256; element++)
        {
            TimesAlpha1[element] = Multiply((byte)element, Exp[1]);
            TimesAlpha2[element] = Multiply((byte)element, Exp[2]);
            TimesAlpha3[element] = Multiply((byte)element, Exp[3]);
        }
    }

    /// <summary>Writes the 3 masked parity bytes of the 9 data bytes.</summary>
    public static void Encode(ReadOnlySpan<byte> data, Span<byte> parity, byte mask)
    {
        Span<byte> register = stackalloc byte[3];
        for (var i = 0; i < 9; i++)
        {
            var feedback = (byte)(data[i] ^ register[2]);
            register[2] = (byte)(register[1] ^ Multiply(Generator[2], feedback));
            register[1] = (byte)(register[0] ^ Multiply(Generator[1], feedback));
            register[0] = Multiply(Generator[0], feedback);
        }

        parity[0] = (byte)(register[2] ^ mask);
        parity[1] = (byte)(register[1] ^ mask);
        parity[2] = (byte)(register[0] ^ mask);
    }

    /// <summary>Checks and, where one byte is wrong, corrects the 12-byte codeword in place.</summary>
    /// <returns>0 when intact, 1 when one byte was corrected, -1 when uncorrectable.</returns>
    public static int Decode(Span<byte> codeword, byte mask)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeword.Length, 12, nameof(codeword));

        // Syndromes S_i = c(α^i), i = 1..3, with c_0 the first (highest-order) byte; Horner's rule by table.
        int s1 = 0, s2 = 0, s3 = 0;
        for (var j = 0; j < 12; j++)
        {
            var symbol = j < 9 ? codeword[j] : codeword[j] ^ mask;
            s1 = TimesAlpha1[s1] ^ symbol;
            s2 = TimesAlpha2[s2] ^ symbol;
            s3 = TimesAlpha3[s3] ^ symbol;
        }

        if ((s1 | s2 | s3) == 0)
        {
            return 0;
        }

        if (s1 == 0 || s2 == 0)
        {
            return -1;
        }

        // One error of value e at power p: S1 = e·α^p, S2 = e·α^2p, S3 = e·α^3p.
        var power = (Log[s2] - Log[s1] + 255) % 255;
        if (power > 11 || Multiply((byte)s2, Exp[power]) != s3)
        {
            return -1;
        }

        var value = Divide((byte)s1, Exp[power]);
        codeword[11 - power] ^= value;
        return 1;
    }

    private static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    private static byte Divide(byte a, byte b) => a == 0 ? (byte)0 : Exp[(Log[a] - Log[b] + 255) % 255];
}
