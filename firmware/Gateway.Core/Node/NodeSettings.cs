namespace Gateway.Core.Node
{
    /// <summary>Settings of the gateway's main cycle (the rest comes from the layers' own settings).</summary>
    public sealed class NodeSettings
    {
        /// <summary>
        /// Next wake closer than this: the host stays awake (Thread.Sleep; RAM keeps the filters and windows) instead of a
        /// deep sleep. The device's main loop and the simulator's sleep path both decide by it.
        /// </summary>
        public const long DeepSleepThresholdMs = 60000;

        /// <summary>The gateway's provisioned id (batches and downlinks are bound to it).</summary>
        public uint DeviceId;

        /// <summary>Largest batch in bytes any transport may carry (sizes the encoder's buffers).</summary>
        public int MaxBatchBytes = 1024;

        /// <summary>Most log records one batch is built from (sizes the record buffers).</summary>
        public int MaxBatchRecords = 256;

        /// <summary>Tag bytes for batches of at most <see cref="SmallFrameBytes"/> (LoRaWAN): 8 (64 bits).</summary>
        public int SmallFrameTagBytes = 8;

        /// <summary>Tag bytes for larger batches (cellular, Wi-Fi): 16 (128 bits).</summary>
        public int LargeFrameTagBytes = 16;

        /// <summary>Batches up to this size count as small frames (the LoRaWAN maximum application payload).</summary>
        public int SmallFrameBytes = 242;

        /// <summary>How many of the newest records count as "newest" (sent before the backlog).</summary>
        public int NewestWindow = 24;

        /// <summary>A batch handed over but not acknowledged within this time is sent again (milliseconds).</summary>
        public long AckTimeoutMs = 30L * 60 * 1000;

        /// <summary>
        /// An alarm batch not acknowledged within this time is sent again, on its own clock (the node wakes for it):
        /// the first retry after this, each further one after twice the last, up to <see cref="AlarmAckTimeoutMaxMs"/>,
        /// each with up to a quarter more of random jitter (gateways of one town do not retry in step). The transports'
        /// airtime budgets still bind.
        /// </summary>
        public long AlarmAckTimeoutMs = 90L * 1000;

        /// <summary>Longest wait for an alarm batch's acknowledgement before it is sent again (milliseconds).</summary>
        public long AlarmAckTimeoutMaxMs = 10L * 60 * 1000;

        /// <summary>How often the backlog is sent while the gateway is quiet (below the observation-start level), ms.</summary>
        public long QuietSendIntervalMs = 24L * 60 * 60 * 1000;

        /// <summary>Shortest time between two sends for routine data, ms (alarms go at once).</summary>
        public long MinSendIntervalMs = 60L * 1000;
    }
}
