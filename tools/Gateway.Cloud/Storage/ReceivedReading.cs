namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// One verified reading as the receiver stores it. (DeviceId, Sequence) is its identity: the same reading arriving
    /// twice — over LoRaWAN and cellular, or after a retry — is stored once.
    /// </summary>
    /// <param name="DeviceId">The gateway's provisioned id.</param>
    /// <param name="Sequence">The gateway's record sequence number (never reused by a gateway).</param>
    /// <param name="Channel">The channel (Gateway.Core.Sensing.ChannelId as a number).</param>
    /// <param name="TimeMs">When measured, Unix milliseconds UTC.</param>
    /// <param name="Value">The value in the channel's fixed-point unit.</param>
    /// <param name="Status">Quality flags (Gateway.Core.Sensing.ReadingStatus as a number); 0 is a valid reading.</param>
    /// <param name="ReceivedAtMs">When the receiver first stored it, Unix milliseconds UTC (for latency figures).</param>
    /// <param name="Transport">How it first arrived: lora, cellular, wifi.</param>
    public readonly record struct ReceivedReading(uint DeviceId, uint Sequence, byte Channel, long TimeMs, int Value, ushort Status, long ReceivedAtMs = 0, string Transport = "");

    /// <summary>A range of sequences the gateway reports it dropped (capacity thinning) or never had.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="FirstSequence">First sequence of the range, inclusive.</param>
    /// <param name="LastSequence">Last sequence of the range, inclusive.</param>
    /// <param name="Reason">Why, in words ("thinned", "torn at recovery", ...).</param>
    public readonly record struct GapRecord(uint DeviceId, uint FirstSequence, uint LastSequence, string Reason);

    /// <summary>What happened to a batch at verification, kept for the town's audit trail.</summary>
    /// <param name="DeviceId">The gateway the batch claimed to come from (0 when even that was unreadable).</param>
    /// <param name="ReceivedAtMs">When the receiver saw it, Unix milliseconds UTC.</param>
    /// <param name="Transport">lora, cellular, wifi.</param>
    /// <param name="Kind">accepted, duplicate, forged, altered, replayed, reordered, dropped, truncated, wrong_key, malformed.</param>
    /// <param name="FirstSequence">First sequence the batch claimed.</param>
    /// <param name="Count">Readings it claimed.</param>
    /// <param name="Detail">A reason a person can read.</param>
    public readonly record struct ChainEvent(uint DeviceId, long ReceivedAtMs, string Transport, string Kind, uint FirstSequence, int Count, string Detail);

    /// <summary>The outcome of storing one batch's readings.</summary>
    /// <param name="Stored">Readings newly stored.</param>
    /// <param name="Duplicates">Readings already stored before (same device and sequence): not stored again.</param>
    public readonly record struct StoreResult(int Stored, int Duplicates);

    /// <summary>A device's verification chain state as the receiver saves it (opaque bytes, BatchVerifier.ExportState).</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="State">The state bytes.</param>
    public sealed record ChainState(uint DeviceId, byte[] State);
}
