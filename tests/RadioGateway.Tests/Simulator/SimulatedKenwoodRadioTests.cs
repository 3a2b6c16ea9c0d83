using System.Buffers;
using RadioGateway.Core.ControlStations.Kenwood;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Nmea;
using RadioGateway.Simulator.ControlStations;
using RadioGateway.Testing;

namespace RadioGateway.Tests.Simulator;

/// <summary>The simulated Kenwood radio's $PKLSH encoder, read back by the gateway's decoder every way, in all four hemispheres.</summary>
public sealed class SimulatedKenwoodRadioTests
{
    [Theory]
    [InlineData(35.6892, 51.389)]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(40.7128, -74.006)]
    [InlineData(-34.6037, -58.3816)]
    public void The_simulated_radios_pklsh_decodes_back_to_its_unit_and_position(double latitude, double longitude)
    {
        var output = new ArrayBufferWriter<byte>();
        SimulatedKenwoodRadio.WritePosition(output, 3120101, new GeoFix(latitude, longitude, FixTime: new DateTimeOffset(2026, 11, 30, 3, 15, 2, TimeSpan.Zero)));
        var bytes = output.WrittenSpan.ToArray();

        DecoderHarness.TruncationsNeverDecode<NmeaSentence>(bytes, Nmea.TryDecode);
        var position = NmeaPositions.Read(DecoderHarness.DecodeEveryWay<NmeaSentence>(bytes, Nmea.TryDecode), new DateOnly(2026, 11, 30))!;

        Assert.Equal((latitude, longitude), (Math.Round(position.Fix!.Latitude, 4), Math.Round(position.Fix.Longitude, 4)));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 15, 2, TimeSpan.Zero), position.Fix.FixTime);
        Assert.True(KenwoodSerialSession.TryUnitId(position.SenderId, out var unit));
        Assert.Equal(3120101u, unit);
    }
}
