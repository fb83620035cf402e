namespace Gateway.Core.Sensing
{
    /// <summary>When the next sample is due, on the monotonic uptime clock.</summary>
    public sealed class SamplingScheduler
    {
        /// <summary>Uptime at which the next sample is due, milliseconds (0: at once).</summary>
        public long NextDueUptimeMs { get; private set; }

        /// <summary>Samples that came later than a whole interval after they were due (the loop was blocked).</summary>
        public int LateSamples { get; private set; }

        /// <summary>True when a sample is due at <paramref name="uptimeMs"/>.</summary>
        public bool IsDue(long uptimeMs)
        {
            return uptimeMs >= NextDueUptimeMs;
        }

        /// <summary>Milliseconds until the next sample (0 when due): how long the main loop may sleep.</summary>
        public long MillisecondsUntilDue(long uptimeMs)
        {
            long wait = NextDueUptimeMs - uptimeMs;
            return wait < 0 ? 0 : wait;
        }

        /// <summary>Records a sample taken at <paramref name="uptimeMs"/>; the next is due <paramref name="intervalMs"/> later.</summary>
        public void Sampled(long uptimeMs, int intervalMs)
        {
            if (NextDueUptimeMs > 0 && uptimeMs - NextDueUptimeMs > intervalMs)
            {
                LateSamples++;
            }

            NextDueUptimeMs = uptimeMs + intervalMs;
        }

        /// <summary>Makes the next sample due at once (a technician's request, a wake-up).</summary>
        public void DueNow(long uptimeMs)
        {
            NextDueUptimeMs = uptimeMs;
        }
    }
}
