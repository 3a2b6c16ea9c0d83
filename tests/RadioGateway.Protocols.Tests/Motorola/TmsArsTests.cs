using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Motorola;

public sealed class TmsArsTests
{
    private static TmsMessage Tms(string hex) => DecoderHarness.DecodeEveryWay<TmsMessage>(Hex.Parse(hex), RadioGateway.Protocols.Motorola.Tms.TryDecode);

    private static ArsMessage Ars(string hex) => DecoderHarness.DecodeEveryWay<ArsMessage>(Hex.Parse(hex), RadioGateway.Protocols.Motorola.Ars.TryDecode);

    [Fact]
    public void The_public_ahoj_text_decodes_with_sequence_85_and_an_acknowledgement_request()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_tms.py test_message
        var text = Tms("000DE00101954461006800 6F006A00");

        Assert.Equal(TmsPduType.SimpleText, text.Type);
        Assert.Equal("ahoj", text.Text);
        Assert.Equal(85, text.SequenceNumber);
        Assert.True(text.AckRequested);
        Assert.Equal([(byte)0x01], text.Address);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_tms.py test_ack_message, test_ack_availability, test_availability,
    // and the acknowledgement inside the 19-burst data call of transmission/test_transmission.py (sequence 7).
    [Theory]
    [InlineData("00049F009520", TmsPduType.Acknowledgement, 53)]
    [InlineData("00021F00", TmsPduType.Acknowledgement, null)]
    [InlineData("0003BF0007", TmsPduType.Acknowledgement, 7)]
    [InlineData("0003D00001", TmsPduType.ServiceAvailability, null)]
    public void Public_acknowledgements_and_availability_decode(string hex, TmsPduType type, int? sequence)
    {
        var message = Tms(hex);

        Assert.Equal(type, message.Type);
        Assert.Equal(sequence, message.SequenceNumber);
    }

    [Theory]
    [InlineData("به مرکز برگردید، تیم ۱۲", 3)]
    [InlineData("Return to base — ETA 10 min", 100)]
    [InlineData("", 0)]
    public void Texts_we_send_decode_intact_including_persian(string text, int sequence)
    {
        var output = new ArrayBufferWriter<byte>();
        RadioGateway.Protocols.Motorola.Tms.WriteText(output, text, sequence, ackRequested: true);

        var decoded = Tms(Hex.Format(output.WrittenSpan));

        Assert.Equal((text, sequence, true), (decoded.Text, decoded.SequenceNumber, decoded.AckRequested));
    }

    [Fact]
    public void Our_acknowledgement_of_sequence_7_matches_the_public_bytes()
    {
        var output = new ArrayBufferWriter<byte>();
        RadioGateway.Protocols.Motorola.Tms.WriteAcknowledgement(output, 7);

        Assert.Equal("0003bf0007", Hex.Format(output.WrittenSpan));
    }

    [Fact]
    public void An_acknowledgement_echoing_the_texts_address_decodes_every_way()
    {
        // Own vector: the control-station gateway acknowledges a text with the address field the text carried.
        var output = new ArrayBufferWriter<byte>();
        RadioGateway.Protocols.Motorola.Tms.WriteAcknowledgement(output, 9, [0x33, 0x31, 0x32]);

        Assert.Equal("0006BF0333313209", Hex.Format(output.WrittenSpan).ToUpperInvariant());
        var decoded = DecoderHarness.DecodeEveryWay<TmsMessage>(output.WrittenSpan.ToArray(), RadioGateway.Protocols.Motorola.Tms.TryDecode);
        Assert.Equal((TmsPduType.Acknowledgement, 9), (decoded.Type, decoded.SequenceNumber));
        Assert.Equal(new byte[] { 0x33, 0x31, 0x32 }, decoded.Address);
        DecoderHarness.TruncationsNeverDecode<TmsMessage>(output.WrittenSpan.ToArray(), RadioGateway.Protocols.Motorola.Tms.TryDecode);
    }

    [Theory]
    [InlineData("0000", "outside")]
    [InlineData("00031A0000", "PDU type")]
    [InlineData("0004E0050195", "address of 5 octets")]
    [InlineData("0006E0009544610", "odd length")]
    public void Malformed_tms_is_invalid_naming_the_problem(string hex, string reason)
    {
        var bytes = Hex.Parse(hex.Length % 2 == 0 ? hex : hex + "0");
        if (reason == "odd length")
        {
            bytes = Hex.Parse("0006E000954461");
            bytes[1] = 5;
        }

        var status = RadioGateway.Protocols.Motorola.Tms.TryDecode(new ReadOnlySequence<byte>(bytes), out _, out _, out var error);

        Assert.Equal(DecodeStatus.Invalid, status);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_ars_registrations_and_answers_decode()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_ars.py: device registration "11", deregistration,
        // user registration with user "999999999", accepted answer with refresh 1 × 30 min.
        var registration = Ars("0007F0200231310000");
        Assert.Equal((ArsPduType.DeviceRegistration, "11", true), (registration.Type, registration.DeviceId, registration.IsOnline));
        Assert.True(registration.Acknowledged && registration.Priority);

        Assert.True(Ars("000131").IsOffline);

        var user = Ars("0010F5000231310939393939393939393900");
        Assert.Equal((ArsPduType.UserRegistration, "11", "999999999"), (user.Type, user.DeviceId, user.UserId));

        var answer = Ars("0002BF01");
        Assert.Equal((ArsPduType.Response, 30, (int?)null), (answer.Type, answer.RefreshMinutes, answer.FailureReason));
    }

    [Fact]
    public void Our_ars_pdus_decode_back()
    {
        var registration = new ArrayBufferWriter<byte>();
        RadioGateway.Protocols.Motorola.Ars.WriteDeviceRegistration(registration, "2308155");
        var accepted = new ArrayBufferWriter<byte>();
        RadioGateway.Protocols.Motorola.Ars.WriteRegistrationAccepted(accepted, 1);

        Assert.Equal("2308155", Ars(Hex.Format(registration.WrittenSpan)).DeviceId);
        Assert.Equal("0002bf01", Hex.Format(accepted.WrittenSpan));
    }

    [Fact]
    public void Truncated_and_random_tms_and_ars_never_throw()
    {
        var text = Hex.Parse("000DE00101954461006800 6F006A00");
        DecoderHarness.TruncationsNeverDecode<TmsMessage>(text, RadioGateway.Protocols.Motorola.Tms.TryDecode);
        DecoderHarness.SurvivesFuzz<TmsMessage>([text, Hex.Parse("00049F009520")], RadioGateway.Protocols.Motorola.Tms.TryDecode);
        DecoderHarness.TruncationsNeverDecode<ArsMessage>(Hex.Parse("0007F0200231310000"), RadioGateway.Protocols.Motorola.Ars.TryDecode);
        DecoderHarness.SurvivesFuzz<ArsMessage>([Hex.Parse("0007F0200231310000"), Hex.Parse("0002BF01")], RadioGateway.Protocols.Motorola.Ars.TryDecode);
    }
}

public sealed class TmsEncoderVectorTests
{
    [Fact]
    public void Our_text_encodes_the_public_ahoj_vector_byte_for_byte()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_tms.py test_message: sequence 85, address 0x01, UCS-2 "ahoj"
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Tms.WriteText(output, "ahoj", 85, ackRequested: true, address: [0x01]);

        Assert.Equal("000de00101954461006800" + "6f006a00", RadioGateway.Testing.Hex.Format(output.WrittenSpan));
    }
}
