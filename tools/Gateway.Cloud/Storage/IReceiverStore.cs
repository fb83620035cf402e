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
    }
}
