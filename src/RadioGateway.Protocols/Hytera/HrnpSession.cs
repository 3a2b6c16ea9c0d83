namespace RadioGateway.Protocols.Hytera;

/// <summary>What a received frame asks of the session.</summary>
public enum HrnpReceived
{
    /// <summary>A DATA frame not seen before: acknowledge it and hand its HDAP message up.</summary>
    NewData,

    /// <summary>A DATA frame repeated by the peer (our acknowledgement was lost): acknowledge it again, nothing more.</summary>
    RepeatedData,

    /// <summary>The peer acknowledges one of our DATA frames (<see cref="HrnpFrame.PacketNumber"/>).</summary>
    DataAck,

    /// <summary>The peer accepts our CONNECT.</summary>
    Accepted,

    /// <summary>The peer rejects our CONNECT.</summary>
    Rejected,

    /// <summary>The peer opens a session (we are the radio side): answer ACCEPT.</summary>
    ConnectRequest,

    /// <summary>The peer ends the session: answer CLOSE_ACK.</summary>
    CloseRequest,

    /// <summary>The peer confirms our CLOSE.</summary>
    Closed,
}

/// <summary>
/// One end of an HRNP session (pure: no I/O, no clock). The PC opens it with CONNECT and the radio answers ACCEPT or
/// REJECT; each DATA frame carries an HDAP message and the next packet number and is confirmed by a DATA_ACK with
/// that number; CLOSE / CLOSE_ACK end it. The PC is node 0x20 and the radio 0x10, as in the public captures
/// (OK-DMR/ok-dmrlib test_hrnp.py: <c>7e0400fe20100000000c60e1</c> connect, <c>7e0400fd10200000000c70d2</c> accept).
/// </summary>
public sealed class HrnpSession(byte localNode = HrnpSession.PcNode, byte peerNode = HrnpSession.RadioNode, byte version = HrnpSession.Version4)
{
    public const byte PcNode = 0x20;
    public const byte RadioNode = 0x10;
    public const byte Version4 = 0x04;

    private ushort _nextPacket;
    private int _lastReceivedPacket = -1;

    /// <summary>CONNECT: starts a session, numbering our DATA frames from 0 again.</summary>
    public HrnpFrame Connect()
    {
        _nextPacket = 0;
        _lastReceivedPacket = -1;
        return Frame(HrnpOpcode.Connect, 0, []);
    }

    /// <summary>ACCEPT of a peer's CONNECT (the radio side).</summary>
    public HrnpFrame Accept()
    {
        _nextPacket = 0;
        _lastReceivedPacket = -1;
        return Frame(HrnpOpcode.Accept, 0, []);
    }

    public HrnpFrame Close() => Frame(HrnpOpcode.Close, 0, []);

    public HrnpFrame CloseAck() => Frame(HrnpOpcode.CloseAck, 0, []);

    /// <summary>A DATA frame with <paramref name="hdap"/> and the next packet number (16 bits, wrapping).</summary>
    public HrnpFrame Data(byte[] hdap)
    {
        ArgumentNullException.ThrowIfNull(hdap);
        return Frame(HrnpOpcode.Data, _nextPacket++, hdap);
    }

    /// <summary>The DATA_ACK of a received DATA frame: same packet number.</summary>
    public HrnpFrame AckOf(HrnpFrame data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Frame(HrnpOpcode.DataAck, data.PacketNumber, []);
    }

    /// <summary>Classifies a received frame; a DATA frame with the packet number of the one before is a repeat.</summary>
    public HrnpReceived Receive(HrnpFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        switch (frame.Opcode)
        {
            case HrnpOpcode.Data:
                if (frame.PacketNumber == _lastReceivedPacket)
                {
                    return HrnpReceived.RepeatedData;
                }

                _lastReceivedPacket = frame.PacketNumber;
                return HrnpReceived.NewData;
            case HrnpOpcode.DataAck:
                return HrnpReceived.DataAck;
            case HrnpOpcode.Accept:
                return HrnpReceived.Accepted;
            case HrnpOpcode.Reject:
                return HrnpReceived.Rejected;
            case HrnpOpcode.Connect:
                return HrnpReceived.ConnectRequest;
            case HrnpOpcode.Close:
                return HrnpReceived.CloseRequest;
            default:
                return HrnpReceived.Closed;
        }
    }

    private HrnpFrame Frame(HrnpOpcode opcode, ushort packetNumber, byte[] data) => new(version, 0, opcode, localNode, peerNode, packetNumber, data);
}
