using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.ControlStations.Kenwood;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Core.Tests.Calls;

namespace RadioGateway.Core.Tests.ControlStations;

public sealed class KenwoodSerialSessionTests
{
    [Theory]
    [InlineData("U00002", 2u)] // NXDN unit id (pynmea2 test_PKNSH)
    [InlineData("100-1001", 1001001u)] // FleetSync fleet-id (pynmea2 test_PKLSH)
    [InlineData("312-0101", 3120101u)]
    public void Kenwood_senders_map_to_unit_ids(string sender, uint unit)
    {
        Assert.True(KenwoodSerialSession.TryUnitId(sender, out var id));
        Assert.Equal(unit, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("U")]
    [InlineData("U-5")]
    [InlineData("1000-1")]
    [InlineData("100-10000")]
    [InlineData("abc")]
    public void Anything_else_is_no_sender(string sender)
    {
        Assert.False(KenwoodSerialSession.TryUnitId(sender, out _));
    }

    [Fact]
    public async Task Sentences_read_one_byte_at_a_time_give_positions_only_for_valid_fixes_and_a_closed_line_is_an_error()
    {
        var sink = new CollectingSink();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 30, 0, TimeSpan.Zero));
        var session = new KenwoodSerialSession("kw1", UnitRoster.Empty, sink, time, NullLogger<KenwoodSerialSession>.Instance);
        var line = Encoding.ASCII.GetBytes(
            "noise before\r\n"
            // pynmea2 test/test_proprietary.py test_PKLSH
            + "$PKLSH,4954.1474,N,11923.6044,W,122434,A,100,1001,*3F\r\n"
            // own vector: the same unit without a fix (status V) is not a position
            + "$PKLSH,4954.1474,N,11923.6044,W,122434,V,100,1001,\r\n"
            + "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n");

        var ended = await Assert.ThrowsAsync<IOException>(() => session.RunAsync(new OneByteStream(line), CancellationToken.None));

        Assert.Contains("serial line closed", ended.Message, StringComparison.Ordinal);
        var position = Assert.Single(sink.Events.OfType<PositionReported>());
        Assert.Equal(1001001u, position.Unit.Id);
        Assert.Equal(49.9024567, position.Lat, 6);
        Assert.Equal(-119.3934067, position.Lon, 6);
        Assert.Equal("kenwood-nmea", position.Via);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 12, 24, 34, TimeSpan.Zero), position.FixTime);
        Assert.Single(sink.Events.OfType<ModemStatusChanged>(), e => e.LinkUp);
    }

    /// <summary>A serial line that delivers one byte per read, then end of stream.</summary>
    private sealed class OneByteStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= bytes.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = bytes[_position++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
