using System.Buffers;
using System.Text;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Nmea;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Nmea;

/// <summary>
/// The Kenwood position sentences a base radio's serial port emits ($PKNSH/$PKLSH short, $PKNDS/$PKLDS long): each
/// whole, split at every offset and one byte at a time, no strict prefix a sentence, every field the gateway reads,
/// all four hemispheres, and a serial stream of garbage that never grows the reader's buffer past one sentence.
/// </summary>
public sealed class KenwoodSentenceVectorTests
{
    private static NmeaSentence Decode(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "\r\n");
        DecoderHarness.TruncationsNeverDecode<NmeaSentence>(bytes, RadioGateway.Protocols.Nmea.Nmea.TryDecode);
        return DecoderHarness.DecodeEveryWay<NmeaSentence>(bytes, RadioGateway.Protocols.Nmea.Nmea.TryDecode);
    }

    private static NmeaPosition Read(string line) => NmeaPositions.Read(Decode(line))!;

    [Fact]
    public void The_public_long_sentences_carry_speed_course_and_date()
    {
        // Knio/pynmea2 test/test_proprietary.py test_PKNDS and test_PKLDS
        var nxdn = Read("$PKNDS,114400,A,4954.1450,N,11923.6043,W,001.4,356.8,130223,19.20,W00,U00002,207,00,*2E").Fix!;
        var fleetSync = Read("$PKLDS,122434,A,4954.1474,N,11923.6044,W,001.1,194.9,130223,19.20,W00,100,1001,80,00,*60").Fix!;

        Assert.Equal((Math.Round(1.4 * 1.852, 3), 356.8, new DateTimeOffset(2023, 2, 13, 11, 44, 0, TimeSpan.Zero)), (nxdn.SpeedKmh, nxdn.HeadingDeg, nxdn.FixTime));
        Assert.Equal((Math.Round(1.1 * 1.852, 3), 194.9, new DateTimeOffset(2023, 2, 13, 12, 24, 34, TimeSpan.Zero)), (fleetSync.SpeedKmh, fleetSync.HeadingDeg, fleetSync.FixTime));
    }

    [Fact]
    public void The_public_short_sentences_carry_a_time_of_day_and_take_the_callers_date()
    {
        // Knio/pynmea2 test/test_proprietary.py test_PKNSH and test_PKLSH
        var nxdn = Read("$PKNSH,4954.1450,N,11923.6043,W,114400,A,U00002,*44");
        var fleetSync = NmeaPositions.Read(Decode("$PKLSH,4954.1474,N,11923.6044,W,122434,A,100,1001,*3F"), new DateOnly(2023, 2, 13))!;

        Assert.Equal(new TimeSpan(11, 44, 0), nxdn.TimeOfDay);
        Assert.Null(nxdn.Fix!.FixTime); // no date given: no invented time
        Assert.Equal(new DateTimeOffset(2023, 2, 13, 12, 24, 34, TimeSpan.Zero), fleetSync.Fix!.FixTime);
    }

    // Own vectors: the pynmea2 sentences' layout with southern and eastern positions (Sydney, Buenos Aires, Tehran),
    // checksums computed by hand (XOR of the characters between $ and *).
    [Theory]
    [InlineData("$PKNSH,3352.1280,S,15112.5580,E,031502,A,U00123,*4B", -33.8688, 151.2093, "U00123", null, null)]
    [InlineData("$PKLSH,3436.2220,S,05822.8960,W,031502,A,312,0101,*2A", -34.6037, -58.3816, "312-0101", null, null)]
    [InlineData("$PKNDS,031502,A,3541.3520,N,05123.3400,E,012.5,090.0,301126,00.00,W00,U00123,207,00,*35", 35.6892, 51.389, "U00123", 23.15, 90.0)]
    [InlineData("$PKLDS,031502,A,3352.1280,S,15112.5580,E,000.0,270.0,301126,00.00,W00,312,0101,80,00,*63", -33.8688, 151.2093, "312-0101", 0.0, 270.0)]
    public void Own_sentences_in_the_other_hemispheres_keep_their_signs_and_sender(string line, double latitude, double longitude, string sender, double? speedKmh, double? heading)
    {
        var position = Read(line);

        Assert.Equal((latitude, longitude), (Math.Round(position.Fix!.Latitude, 6), Math.Round(position.Fix.Longitude, 6)));
        Assert.Equal((sender, speedKmh, heading), (position.SenderId, position.Fix.SpeedKmh, position.Fix.HeadingDeg));
    }

    [Theory]
    [InlineData(35.6892, 51.389)]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(40.7128, -74.006)]
    [InlineData(-34.6037, -58.3816)]
    public void The_short_nxdn_sentence_we_write_decodes_back_in_every_hemisphere(double latitude, double longitude)
    {
        var output = new ArrayBufferWriter<byte>();
        NmeaPositions.WritePknsh(output, new GeoFix(latitude, longitude, FixTime: new DateTimeOffset(2026, 11, 30, 3, 15, 2, TimeSpan.Zero)), "U00123");

        var position = Read(Encoding.ASCII.GetString(output.WrittenSpan).TrimEnd('\r', '\n'));

        Assert.Equal((latitude, longitude, "U00123"), (Math.Round(position.Fix!.Latitude, 4), Math.Round(position.Fix.Longitude, 4), position.SenderId));
        Assert.Equal(new TimeSpan(3, 15, 2), position.TimeOfDay);
    }

    [Fact]
    public void A_serial_stream_of_garbage_never_grows_the_buffer_past_one_sentence()
    {
        var random = new Random(14);
        var reader = new NmeaLineReader();
        var pending = Array.Empty<byte>();
        var positions = 0;
        for (var chunk = 0; chunk < 2000; chunk++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            for (var i = 0; i < bytes.Length; i++)
            {
                // Mostly printable, with sentence starts and line ends, as a noisy line looks.
                bytes[i] = (byte)"$$!,.0123456789ANSEWPKLDSH*\r\n"[bytes[i] % 29];
            }

            if (chunk % 100 == 0)
            {
                bytes = [.. bytes, .. "\n$PKLSH,4954.1474,N,11923.6044,W,122434,A,100,1001,*3F\r\n"u8];
            }

            var buffer = new ReadOnlySequence<byte>([.. pending, .. bytes]);
            while (reader.TryRead(ref buffer, out var sentence, out _) != DecodeStatus.NeedMoreData)
            {
                if (sentence?.Address == "PKLSH" && NmeaPositions.Read(sentence)?.SenderId == "100-1001")
                {
                    positions++;
                }
            }

            pending = buffer.ToArray();
            Assert.InRange(pending.Length, 0, RadioGateway.Protocols.Nmea.Nmea.MaxLength + 2);
        }

        Assert.Equal(20, positions); // every real sentence among the noise was found
    }

    [Fact]
    public void Random_and_mutated_kenwood_sentences_never_throw()
    {
        DecoderHarness.SurvivesFuzz<NmeaSentence>(
            [.. new[]
            {
                "$PKNSH,4954.1450,N,11923.6043,W,114400,A,U00002,*44",
                "$PKLSH,4954.1474,N,11923.6044,W,122434,A,100,1001,*3F",
                "$PKNDS,114400,A,4954.1450,N,11923.6043,W,001.4,356.8,130223,19.20,W00,U00002,207,00,*2E",
                "$PKLDS,122434,A,4954.1474,N,11923.6044,W,001.1,194.9,130223,19.20,W00,100,1001,80,00,*60",
            }.Select(l => Encoding.ASCII.GetBytes(l + "\r\n"))],
            RadioGateway.Protocols.Nmea.Nmea.TryDecode,
            iterations: 20000,
            seed: 14);
    }
}
