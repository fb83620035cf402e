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
    /// <param name="Kind">accepted, replayed, reordered, dropped, conflict (authentic batches, one row each); forged_or_altered,
    /// wrong_key, truncated, malformed (junk: one row per source, kind and minute when counted with a source).</param>
    /// <param name="FirstSequence">First sequence the batch claimed (of the bucket's first message for junk).</param>
    /// <param name="Count">Readings it claimed (of the bucket's first message for junk).</param>
    /// <param name="Detail">A reason a person can read (the bucket's first reason for junk).</param>
    /// <param name="Messages">Messages this row stands for: 1 for a batch's own row, the bucket's count for junk.</param>
    /// <param name="Source">The MQTT topic (or other source) of a junk bucket; null for a batch's own row. Junk rows have
    /// <see cref="ReceivedAtMs"/> at the start of their minute.</param>
    public readonly record struct ChainEvent(uint DeviceId, long ReceivedAtMs, string Transport, string Kind, uint FirstSequence, int Count, string Detail,
        long Messages = 1, string? Source = null);

    /// <summary>A device as its stored readings show it.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="Readings">Rows stored (readings, events and gap records).</param>
    /// <param name="FirstTimeMs">Oldest measurement time, Unix ms UTC.</param>
    /// <param name="LastTimeMs">Newest measurement time, Unix ms UTC.</param>
    /// <param name="LastReceivedAtMs">Newest arrival at the receiver (last seen), Unix ms UTC.</param>
    /// <param name="LastSequence">Highest sequence stored.</param>
    public readonly record struct DeviceActivity(uint DeviceId, long Readings, long FirstTimeMs, long LastTimeMs, long LastReceivedAtMs, uint LastSequence);

    /// <summary>Audit rows of one device and kind, summed.</summary>
    /// <param name="DeviceId">The gateway (0: unreadable).</param>
    /// <param name="Kind">accepted, dropped, forged_or_altered, ... (see <see cref="ChainEvent.Kind"/>).</param>
    /// <param name="Messages">Messages the rows stand for.</param>
    /// <param name="LastAtMs">Newest row's arrival, Unix ms UTC.</param>
    public readonly record struct ChainEventCount(uint DeviceId, string Kind, long Messages, long LastAtMs);

    /// <summary>The outcome of storing one batch's readings.</summary>
    /// <param name="Stored">Readings newly stored.</param>
    /// <param name="Duplicates">Readings already stored before (same device and sequence): not stored again.</param>
    /// <param name="Conflicts">Of the duplicates, readings whose stored values differ (channel, time, value or status):
    /// the stored (first) values are kept, the differing ones are kept aside in <c>reading_conflicts</c>.</param>
    public readonly record struct StoreResult(int Stored, int Duplicates, int Conflicts = 0);

    /// <summary>Invalid messages of one source, kind and minute, counted instead of logged one by one.</summary>
    /// <param name="Source">The MQTT topic the messages came on (the bucket's key, with kind and minute).</param>
    /// <param name="Transport">lora, cellular, wifi.</param>
    /// <param name="Kind">forged_or_altered, wrong_key, truncated, malformed, ...</param>
    /// <param name="AtMs">When one of them arrived, Unix ms UTC (the bucket is its minute).</param>
    /// <param name="Messages">How many.</param>
    /// <param name="DeviceId">The device the first of them claimed (0 when unreadable).</param>
    /// <param name="FirstSequence">The first sequence the first of them claimed.</param>
    /// <param name="Count">Readings the first of them claimed.</param>
    /// <param name="Reason">The first one's reason, for the operator.</param>
    public readonly record struct JunkCount(string Source, string Transport, string Kind, long AtMs, long Messages, uint DeviceId, uint FirstSequence, int Count, string Reason)
    {
        /// <summary>The start of the bucket's minute, Unix ms UTC.</summary>
        public long MinuteMs => AtMs - (((AtMs % 60_000) + 60_000) % 60_000);
    }

    /// <summary>A schema migration and whether the database has it.</summary>
    /// <param name="Version">Its number (1, 2, ...), applied in order.</param>
    /// <param name="Name">Its name, e.g. 0001_initial.</param>
    /// <param name="AppliedAtMs">When it was applied, Unix ms UTC; null when pending.</param>
    public sealed record MigrationStatus(int Version, string Name, long? AppliedAtMs)
    {
        /// <summary>True when the database has it.</summary>
        public bool Applied => AppliedAtMs.HasValue;
    }

    /// <summary>A device's verification chain state as the receiver saves it (opaque bytes, BatchVerifier.ExportState).</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="State">The state bytes.</param>
    public sealed record ChainState(uint DeviceId, byte[] State);
}
