namespace Gateway.Core.Storage
{
    /// <summary>Storage figures for the heartbeat. Filled by <see cref="RecordLog.FillHealth"/>; preallocate one.</summary>
    public sealed class StorageHealth
    {
        /// <summary>Segment files in use (sealed segments plus the journal).</summary>
        public int SegmentsInUse;

        /// <summary>Flash the log occupies now, whole blocks, bytes.</summary>
        public int BytesInUse;

        /// <summary>Highest <see cref="BytesInUse"/> since open.</summary>
        public int HighWaterBytes;

        /// <summary>Budget, bytes.</summary>
        public int BudgetBytes;

        /// <summary>Bytes written to flash since open (frames, rewrites, state).</summary>
        public long BytesWritten;

        /// <summary>Commits (journal appends) since open.</summary>
        public long Commits;

        /// <summary>Estimated block erases since open (littlefs copy-on-write model).</summary>
        public double EstimatedErases;

        /// <summary>Estimated erase cycles per block per day at the current rate, spread over the partition.</summary>
        public double EraseCyclesPerBlockPerDay;

        /// <summary>Projected years until 100,000 erase cycles at the current rate.</summary>
        public double LifetimeYears;

        /// <summary>Torn tails (partly written frames) found and dropped at the last recovery.</summary>
        public int TornAtRecovery;

        /// <summary>Bytes of those torn tails.</summary>
        public int TornBytesAtRecovery;

        /// <summary>Files with no valid frame deleted at recovery.</summary>
        public int CorruptFilesAtRecovery;

        /// <summary>Duplicate or superseded files removed at recovery.</summary>
        public int DuplicateFilesAtRecovery;

        /// <summary>Frames that failed their CRC on read even after retries (skipped, never returned).</summary>
        public int ReadErrors;

        /// <summary>Capacity rewrites (thinning merges) since open.</summary>
        public int CapacityRewrites;

        /// <summary>Readings dropped by the capacity policy since open (each covered by a gap record).</summary>
        public long ReadingsDropped;

        /// <summary>
        /// Most channel values staged and not yet committed at one instant (measured; with the per-wake commit, the
        /// channels of one wake: one sampling instant at risk).
        /// </summary>
        public int ReadingsAtRiskHighWater;

        /// <summary>What the log found about the flash at open.</summary>
        public FormatEvidence Format;

        /// <summary>Boots counted by the durable state (this one included).</summary>
        public uint BootCount;

        /// <summary>Random id of this sequence space (changes when the state is new).</summary>
        public uint Epoch;

        /// <summary>The next sequence the log will hand out.</summary>
        public uint NextSequence;
    }
}
