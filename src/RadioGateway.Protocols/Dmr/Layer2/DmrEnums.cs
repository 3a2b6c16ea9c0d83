namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>Data type of a burst with slot type (TS 102 361-1 §9.3.6, Table 9.2).</summary>
public enum DmrDataType : byte
{
    PiHeader = 0,
    VoiceLcHeader = 1,
    TerminatorWithLc = 2,
    Csbk = 3,
    MbcHeader = 4,
    MbcContinuation = 5,
    DataHeader = 6,
    Rate12Data = 7,
    Rate34Data = 8,
    Idle = 9,
    Rate1Data = 10,
    UnifiedSingleBlock = 11,
}

/// <summary>48-bit synchronisation patterns (TS 102 361-1 §9.1.1, Table 9.1).</summary>
public enum DmrSyncPattern
{
    None,
    BsSourcedVoice,
    BsSourcedData,
    MsSourcedVoice,
    MsSourcedData,
    MsSourcedRcSync,
    DirectVoiceTs1,
    DirectDataTs1,
    DirectVoiceTs2,
    DirectDataTs2,
}

/// <summary>Link control start/stop of an embedded signalling fragment (TS 102 361-1 §9.3.3).</summary>
public enum Lcss : byte
{
    SingleFragment = 0,
    FirstFragment = 1,
    LastFragment = 2,
    Continuation = 3,
}

/// <summary>Full link control opcodes we interpret (TS 102 361-2 §7.1, Table 7.1).</summary>
public enum Flco : byte
{
    GroupVoiceChannelUser = 0x00,
    UnitToUnitVoiceChannelUser = 0x03,
    TalkerAliasHeader = 0x04,
    TalkerAliasBlock1 = 0x05,
    TalkerAliasBlock2 = 0x06,
    TalkerAliasBlock3 = 0x07,
    GpsInfo = 0x08,
}
