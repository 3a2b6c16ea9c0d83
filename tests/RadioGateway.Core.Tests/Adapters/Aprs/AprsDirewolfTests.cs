using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Adapters.Aprs;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Testing;

namespace RadioGateway.Core.Tests.Adapters.Aprs;

/// <summary>
/// The whole analog path with real programs: Direwolf's gen_packets makes 1200 bd AFSK audio of APRS packets, a real
/// direwolf demodulates that audio from its stdin and serves the frames on KISS TCP, and the gateway's KISS session
/// turns them into events. Expected coordinates: Direwolf's decode_aprs for the same lines.
/// </summary>
public sealed class AprsDirewolfTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-aprs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Direwolf_demodulated_packets_arrive_as_positions_in_all_four_hemispheres_and_mic_e_and_as_a_message()
    {
        var genPackets = ExternalTool.Require("gen_packets", "direwolf");
        var direwolf = ExternalTool.Require("direwolf", "direwolf");
        string[] packets =
        [
            "EP2AAA-9>APRS,WIDE1-1:!3541.20N/05124.60E>Tehran",
            "PY1AA-9>APRS:=2254.50S/04311.00W-Rio",
            "VK2AA-9>APRS:!3351.00S/15112.00E>Sydney",
            "W1AW-9>APRS:@092345z4237.14N/07120.83W>Boston",
            "EP2BBB>APRS:=/5L!!<*e7>7P[",
            "EP2DDD-9>SUTQ20:`O4Xn\"Oj/",
            "VK2BB-9>SSU1P0:`O(Nn\"Oj/",
            "EP2AAA-9>APRS::EP2BBB   :Hello team{001",
        ];
        var packetFile = Path.Combine(_directory, "packets.txt");
        await File.WriteAllLinesAsync(packetFile, packets);
        var audioFile = Path.Combine(_directory, "packets.wav");
        using (var generator = ExternalTool.Start(genPackets, ["-r", "44100", "-o", audioFile, packetFile]))
        {
            await generator.Process.WaitForExitAsync().WaitAsync(Patience);
            Assert.True(generator.Process.ExitCode == 0, generator.Output);
        }

        var kissPort = ExternalTool.FreeLoopbackPort();
        var config = Path.Combine(_directory, "direwolf.conf");
        await File.WriteAllLinesAsync(config, ["ADEVICE stdin null", "CHANNEL 0", "MYCALL N0CALL", "MODEM 1200", $"KISSPORT {kissPort}", "AGWPORT 0"]);
        // -r 44100 matches gen_packets; the WAV header is 44 bytes of "audio" the demodulator ignores.
        using var tnc = ExternalTool.Start(direwolf, ["-c", config, "-r", "44100", "-t", "0", "-q", "hd", "-"], _directory);
        await tnc.WaitForLineAsync(line => line.Contains($"KISS TCP client application 0 on port {kissPort}", StringComparison.Ordinal), Patience);

        var roster = UnitRoster.From([new RosterUnit(3120101, "Team 1 Tehran", null, null, null, UnitDataProtocol.Motorola) { Callsign = "EP2AAA-9" }, new RosterUnit(3120102, "Team 2", null, null, null, UnitDataProtocol.Motorola) { Callsign = "EP2BBB" }]);
        var sink = new WaitingSink(expected: packets.Length);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", kissPort);
        using var cancel = new CancellationTokenSource(Patience);
        var session = new AprsKissSession(new AprsEventMapper(roster), sink, TimeProvider.System, NullLogger.Instance);
        var reading = session.RunAsync(client.GetStream(), cancel.Token);

        // Audio, then a second of silence so the last frame's flag is followed by quiet; stdin stays open until the frames are in.
        var stdin = tnc.Process.StandardInput.BaseStream;
        await stdin.WriteAsync(await File.ReadAllBytesAsync(audioFile));
        await stdin.WriteAsync(new byte[44100 * 2]);
        await stdin.FlushAsync();
        var events = await sink.All.WaitAsync(Patience);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        var positions = events.OfType<PositionReported>().ToDictionary(p => p.Unit.Callsign!);
        (string Call, double Lat, double Lon)[] expected =
        [
            ("EP2AAA-9", 35.686667, 51.41),
            ("PY1AA-9", -22.908333, -43.183333),
            ("VK2AA-9", -33.85, 151.2),
            ("W1AW-9", 42.619, -71.347167),
            ("EP2BBB", 49.5, -72.750003),
            ("EP2DDD-9", 35.686667, 51.41),
            ("VK2BB-9", -33.85, 151.208333),
        ];
        Assert.Equal(expected.Select(e => e.Call).Order(), positions.Keys.Order());
        foreach (var (call, lat, lon) in expected)
        {
            Assert.Equal(lat, positions[call].Lat, 5);
            Assert.Equal(lon, positions[call].Lon, 5);
            Assert.Equal("aprs", positions[call].Via);
        }

        Assert.Equal(new RadioUnit(3120101, "Team 1 Tehran", Callsign: "EP2AAA-9"), positions["EP2AAA-9"].Unit);
        Assert.Equal(0u, positions["VK2AA-9"].Unit.Id);
        Assert.Null(positions["VK2AA-9"].FixTime);
        Assert.Equal((9, 23, 45), (positions["W1AW-9"].FixTime!.Value.Day, positions["W1AW-9"].FixTime!.Value.Hour, positions["W1AW-9"].FixTime!.Value.Minute));

        var text = Assert.Single(events.OfType<TextMessageReceived>());
        Assert.Equal(("Hello team", "aprs", 3120101u), (text.Text, text.Protocol, text.From.Id));
        Assert.Equal(new CallTarget(3120102, TargetType.Unit, "EP2BBB"), text.To);
        Assert.Equal(0, session.FramesSkipped);
    }

    private sealed class WaitingSink(int expected) : IEventSink
    {
        private readonly List<DomainEvent> _events = [];
        private readonly TaskCompletionSource<IReadOnlyList<DomainEvent>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<DomainEvent>> All => _all.Task;

        public void Publish(DomainEvent domainEvent)
        {
            lock (_events)
            {
                _events.Add(domainEvent);
                if (_events.Count >= expected)
                {
                    _all.TrySetResult([.. _events]);
                }
            }
        }
    }
}
