namespace Gateway.Core.Storage
{
    /// <summary>Settings of the record log. Defaults fit a 4 MB ESP32 module (littlefs <c>config</c> partition).</summary>
    public sealed class RecordLogSettings
    {
        /// <summary>Largest sealed segment file, bytes; one littlefs block (4096) is the right size on the ESP32.</summary>
        public int SegmentBytes = 4096;

        /// <summary>Largest frame, bytes (also the size of each of the two frame buffers in RAM).</summary>
        public int MaxFrameBytes = 512;

        /// <summary>Journal size that triggers sealing into the dense segments, bytes.</summary>
        public int JournalSealBytes = 2048;

        /// <summary>Flash the log may occupy, counted in whole blocks, bytes (192 KB leaves 64 KB of I: for config).</summary>
        public int BudgetBytes = 192 * 1024;

        /// <summary>
        /// Readings that may be staged in RAM, not yet committed, at any instant (1: every reading is committed before
        /// the next is taken). Alarms, events and markers are always committed at once.
        /// </summary>
        public int MaxReadingsAtRisk = 1;

        /// <summary>Sequence numbers reserved ahead with one durable write.</summary>
        public int ReserveBlock = 256;

        /// <summary>Most segment files the RAM index holds (Budget/SegmentBytes plus slack).</summary>
        public int MaxSegments = 50;

        /// <summary>Most disjoint acknowledged ranges remembered (when full the smallest is forgotten: it is resent).</summary>
        public int MaxAckRanges = 16;

        /// <summary>Optional second store (data partition, SD card) holding a copy of the boot counter and sequence reservation.</summary>
        public IFlashStore Mirror;

        /// <summary>Seed of the log epoch drawn when the state is new (0: from the clock of the random generator).</summary>
        public int EpochSeed;
    }
}
