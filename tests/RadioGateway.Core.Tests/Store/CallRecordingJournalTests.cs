using System.Text;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.Store;

/// <summary>A call's recording travels in its <c>call.ended</c> data and comes back with the call from the journal.</summary>
public sealed class CallRecordingJournalTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(SampleEvents.Start);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_recording_on_call_ended_is_published_and_read_back_with_the_call()
    {
        var recording = new CallRecording("2026-03-01/gw1-1-20260301T081530250-2001.opus", 4_560, 18_432, SampleEvents.Start.AddMilliseconds(-7));
        var ended = SampleEvents.EndedCall(SampleEvents.OpenCall()) with { Recording = recording };
        var other = SampleEvents.EndedCall(SampleEvents.OpenCall("not-recorded"));
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        store.Append([SampleEvents.Started(ended), SampleEvents.Ended(ended), SampleEvents.Ended(other)]);

        using var reader = store.OpenReader();
        var calls = reader.QueryCalls(new CallQuery());
        Assert.Equal(recording, calls.Single(c => c.CallId == ended.CallId).Recording);
        Assert.Null(calls.Single(c => c.CallId == "not-recorded").Recording);
        var message = Encoding.UTF8.GetString(store.ReadOutbox(0, 10).Single(m => m.EventId == ended.CallId + "-end").Payload);
        Assert.Contains("\"recording\":{\"file\":\"2026-03-01/gw1-1-20260301T081530250-2001.opus\",\"durationMs\":4560,\"bytes\":18432,\"start\":\"2026-03-01T08:15:30.243Z\"}", message, StringComparison.Ordinal);
    }
}
