namespace Gateway.Core.Uplink
{
    /// <summary>What a transport did with one payload.</summary>
    public struct UplinkResult
    {
        /// <summary>The outcome.</summary>
        public UplinkStatus Status;

        /// <summary>For <see cref="UplinkStatus.RetryLater"/>: earliest wall time (Unix ms) worth trying again; 0 if unknown.</summary>
        public long RetryAtMs;

        /// <summary>Creates a result.</summary>
        public UplinkResult(UplinkStatus status, long retryAtMs)
        {
            Status = status;
            RetryAtMs = retryAtMs;
        }

        /// <summary>True for <see cref="UplinkStatus.Sent"/> and <see cref="UplinkStatus.NetworkAcknowledged"/>.</summary>
        public bool HandedOver
        {
            get { return Status == UplinkStatus.Sent || Status == UplinkStatus.NetworkAcknowledged; }
        }
    }
}
