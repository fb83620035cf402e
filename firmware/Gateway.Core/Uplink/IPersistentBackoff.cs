namespace Gateway.Core.Uplink
{
    /// <summary>
    /// A transport whose bring-up backoff must outlive a deep sleep (which clears RAM): an expensive bring-up (a
    /// cellular attach) that failed is not retried at every wake but when its backoff ends. The composition root
    /// keeps the bytes in durable state (Gateway.Control.SleepState).
    /// </summary>
    public interface IPersistentBackoff
    {
        /// <summary>Writes the backoff state at <paramref name="offset"/>; returns the byte count (at most <see cref="SleepStateLimits.MaxBackoffBytes"/>).</summary>
        int SaveBackoff(byte[] buffer, int offset);

        /// <summary>Restores what <see cref="SaveBackoff"/> wrote; false (and nothing changed) when it is not valid.</summary>
        bool RestoreBackoff(byte[] buffer, int offset, int count);
    }

    /// <summary>Sizes the durable copies of transport state may take.</summary>
    public static class SleepStateLimits
    {
        /// <summary>Largest backoff state a transport may save.</summary>
        public const int MaxBackoffBytes = 32;
    }
}
