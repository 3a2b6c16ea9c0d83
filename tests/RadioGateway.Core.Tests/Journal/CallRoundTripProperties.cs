using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;

namespace RadioGateway.Core.Tests.Journal;

public sealed class CallRoundTripProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(60);

    [Fact]
    public void Any_call_record_survives_the_journal_field_for_field_in_utc()
    {
        var property = Prop.ForAll(CallRecordGenerators.Calls(fractionDigits: 7).ToArbitrary(), call =>
        {
            using var directory = new TempDirectory();
            using var store = GatewayStore.Open(directory.Path, new CloudEventWriter("gw"), new FakeTimeProvider());
            store.Append([new CallEnded { Id = "e", Time = call.Start, Call = call }]);
            using var reader = store.OpenReader();
            Assert.Equal(CallRecordGenerators.InUtc(call), Assert.Single(reader.QueryCalls(new CallQuery())));
        });
        Check.One(Runs, property);
    }

    [Fact]
    public void Any_call_record_survives_its_cloudevent_data()
    {
        var writer = new CloudEventWriter("gw");
        var property = Prop.ForAll(CallRecordGenerators.Calls(fractionDigits: 3).ToArbitrary(), call =>
        {
            using var cloudEvent = JsonDocument.Parse(writer.Serialize(new CallEnded { Id = "e", Time = call.Start, Call = call }));
            Assert.Equal(CallRecordGenerators.InUtc(call), cloudEvent.RootElement.GetProperty("data").Deserialize<CallRecord>(EventJson.Options));
        });
        Check.One(Runs, property);
    }
}
