namespace RadioGateway.Protocols.Mmdvm;

/// <summary>MMDVM serial protocol frame types (g4klx/MMDVMHost Modem.cpp, g4klx/MMDVM SerialPort.cpp).</summary>
public enum MmdvmCommand : byte
{
    GetVersion = 0x00,
    GetStatus = 0x01,
    SetConfig = 0x02,
    SetMode = 0x03,
    SetFrequency = 0x04,
    SendCwId = 0x0A,
    DmrData1 = 0x18,
    DmrLost1 = 0x19,
    DmrData2 = 0x1A,
    DmrLost2 = 0x1B,
    DmrShortLc = 0x1C,
    DmrStart = 0x1D,
    DmrAbort = 0x1E,
    Ack = 0x70,
    Nak = 0x7F,
    SerialData = 0x80,
    Transparent = 0x90,
    QsoInfo = 0x91,
    Debug1 = 0xF1,
    Debug2 = 0xF2,
    Debug3 = 0xF3,
    Debug4 = 0xF4,
    Debug5 = 0xF5,
    DebugDump = 0xFA,
}

/// <summary>Modem modes for SET_MODE and the status frame.</summary>
public enum MmdvmMode : byte
{
    Idle = 0,
    DStar = 1,
    Dmr = 2,
    Ysf = 3,
    P25 = 4,
    Nxdn = 5,
    Pocsag = 6,
    Fm = 10,
    Cw = 98,
    Lockout = 99,
    Error = 100,
}

/// <summary>One MMDVM frame: its type and the payload after the header.</summary>
public readonly record struct MmdvmFrame(MmdvmCommand Command, ReadOnlyMemory<byte> Payload)
{
    public override string ToString() => $"{Command} [{Convert.ToHexString(Payload.Span)}]";
}
