using System;
using System.Collections.Generic;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The receiver's database: readings deduplicated by (device, sequence), gaps, the verification audit trail, and
    /// each device's chain state. SQLite (embedded, the default) and PostgreSQL implement it with the same schema.
    /// </summary>
    public interface IReceiverStore : IDisposable
    {
        /// <summary>Which engine this is ("sqlite" or "postgres").</summary>
        string Engine { get; }

        /// <summary>
        /// Runs <paramref name="work"/> in one transaction and commits it durably (SQLite: WAL, synchronous=FULL;
        /// PostgreSQL: synchronous_commit on): when this returns, everything the work wrote survives a power cut, so
        /// the caller may then acknowledge (the broker message, the gateway's ack). Several receivers may call it
        /// at once on one database: the work locks the chain states it reads (<see cref="IReceiverTransaction.LockChainStates"/>).
        /// On a serialization failure, deadlock or busy database the transaction is rolled back and the work runs
        /// again from the start (so it must derive everything from what it reads inside the transaction); any other
        /// failure rolls back and is thrown.
        /// </summary>
        T Commit<T>(Func<IReceiverTransaction, T> work);

        /// <summary>Counts invalid messages per source, kind and minute (one audit row per bucket), durably, in one transaction.</summary>
        void CountJunk(IReadOnlyList<JunkCount> counts);

        /// <summary>Conflicting readings kept aside (the stored first values stay in readings), of one device or all.</summary>
        IReadOnlyList<ReceivedReading> QueryConflicts(uint? deviceId = null);

        /// <summary>Every migration this version knows, with when it was applied to this database.</summary>
        IReadOnlyList<MigrationStatus> Migrations();

        /// <summary>Stores readings in one transaction; a reading already stored is counted as a duplicate and left as it was.</summary>
        StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings);

        /// <summary>
        /// Stores readings and, when given, the device's chain state after them, in one transaction: the state never
        /// runs ahead of (or behind) the readings it covers.
        /// </summary>
        StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings, ChainState? chainState);

        /// <summary>Stores gap reports (idempotent on (device, first sequence)).</summary>
        void StoreGaps(IReadOnlyList<GapRecord> gaps);

        /// <summary>Appends an audit event.</summary>
        void StoreChainEvent(ChainEvent chainEvent);

        /// <summary>Saves a device's verification chain state (last accepted tag and sequence), so a receiver restart resumes the chain.</summary>
        void SaveChainState(uint deviceId, byte[] state);

        /// <summary>Returns the next downlink counter for a device (1, 2, 3, ...), durably, so no counter is ever reused.</summary>
        uint NextDownlinkCounter(uint deviceId);

        /// <summary>Loads a device's chain state, or null when the device has never been seen.</summary>
        byte[]? LoadChainState(uint deviceId);

        /// <summary>Every saved chain state (device id, state), for a receiver starting up.</summary>
        IReadOnlyList<ChainState> LoadChainStates();

        /// <summary>Readings of a device with TimeMs in [fromMs, toMs), in sequence order.</summary>
        IReadOnlyList<ReceivedReading> QueryReadings(uint deviceId, long fromMs, long toMs);

        /// <summary>Every reading of every device, in (device, sequence) order, for export.</summary>
        IEnumerable<ReceivedReading> AllReadings();

        /// <summary>Gap reports of a device, in sequence order.</summary>
        IReadOnlyList<GapRecord> QueryGaps(uint deviceId);

        /// <summary>Audit events, oldest first; of one device when deviceId is given.</summary>
        IReadOnlyList<ChainEvent> QueryChainEvents(uint? deviceId = null);

        /// <summary>Number of stored readings (of one device when given).</summary>
        long CountReadings(uint? deviceId = null);

        /// <summary>Every device with stored readings: how many, the oldest and newest measurement, the newest arrival, in device order.</summary>
        IReadOnlyList<DeviceActivity> QueryDevices();

        /// <summary>Readings of one channel (events, gap spans, battery), of every device or one, in (device, time, sequence) order.</summary>
        IReadOnlyList<ReceivedReading> QueryChannel(byte channel, uint? deviceId = null);

        /// <summary>The newest reading (by measurement time) of a channel per device, in device order.</summary>
        IReadOnlyList<ReceivedReading> QueryLatest(byte channel);

        /// <summary>Audit rows summed per device and kind (messages), with the newest arrival of each.</summary>
        IReadOnlyList<ChainEventCount> CountChainEvents();

        /// <summary>Leaves of the transparency log per device: one per accepted batch (Transparency/README.md).</summary>
        IReadOnlyDictionary<uint, long> CountLogLeaves();
    }
}

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// What a receiver writes inside one durable transaction (<see cref="IReceiverStore.Commit{T}"/>): lock the
    /// devices' chain states, then per batch insert its readings, save the chain state, append the audit row, reserve
    /// the acknowledgement counters; junk counts ride along. Nothing is visible to others before the commit.
    /// </summary>
    public interface IReceiverTransaction
    {
        /// <summary>
        /// Locks the chain state of each device until the commit (PostgreSQL: the chain_state row, inserted first
        /// when missing, locked FOR UPDATE in ascending device order so two receivers never deadlock; SQLite: the
        /// transaction holds the database's write lock) and returns the saved states (devices never seen are absent).
        /// Call it once per transaction, with every device the transaction will touch, before anything else.
        /// </summary>
        IReadOnlyDictionary<uint, byte[]> LockChainStates(IReadOnlyCollection<uint> deviceIds);

        /// <summary>
        /// Inserts readings; a reading already stored stays as it was (a duplicate), and when its stored values
        /// differ it is a conflict: the differing values go to <c>reading_conflicts</c>.
        /// </summary>
        StoreResult InsertReadings(IReadOnlyList<ReceivedReading> readings);

        /// <summary>
        /// Inserts several batches' readings (as <see cref="InsertReadings"/>, one result per batch, in order; a
        /// reading in two batches of the list is stored from the first). PostgreSQL sends them in one statement.
        /// </summary>
        IReadOnlyList<StoreResult> InsertBatches(IReadOnlyList<IReadOnlyList<ReceivedReading>> batches);

        /// <summary>Saves a device's chain state (upsert).</summary>
        void SaveChainState(uint deviceId, byte[] state);

        /// <summary>Saves several devices' chain states (upserts, in one statement on PostgreSQL).</summary>
        void SaveChainStates(IReadOnlyList<ChainState> states);

        /// <summary>Appends an audit row.</summary>
        void AddChainEvent(ChainEvent chainEvent);

        /// <summary>Appends audit rows, in order (in one statement on PostgreSQL).</summary>
        void AddChainEvents(IReadOnlyList<ChainEvent> chainEvents);

        /// <summary>Reserves consecutive downlink counters for several devices (device → how many); returns each device's first.</summary>
        IReadOnlyDictionary<uint, uint> ReserveDownlinkCounters(IReadOnlyDictionary<uint, int> counts);

        /// <summary>Adds junk counts to their buckets (source, kind, minute): one row per bucket, its count increased.</summary>
        void CountJunk(IReadOnlyList<JunkCount> counts);

        /// <summary>Reserves <paramref name="count"/> consecutive downlink counters of a device and returns the first.</summary>
        uint ReserveDownlinkCounters(uint deviceId, int count);

        /// <summary>Stores gap reports (idempotent on (device, first sequence)).</summary>
        void StoreGaps(IReadOnlyList<GapRecord> gaps);

        /// <summary>
        /// Appends accepted batches to the transparency log, in order, and counts rejected ones (not logged); locks the
        /// log's head until the commit, so the leaves of all receivers form one sequence. Call it last, after the
        /// chain-state locks. Returns the index of the first appended leaf.
        /// </summary>
        long AppendLeaves(IReadOnlyList<PendingLeaf> leaves, long rejected);
    }
}
