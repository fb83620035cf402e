using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// One accelerated sampling cycle in test mode, the same on the device and on the virtual gateway: the test clock
    /// moves one cadence period (the configured base cadence, the longest record interval, so every cycle records
    /// every channel whatever the cadence mode), the pipeline samples every source
    /// now (injected values where given), the node runs its wake (events, send decision, downlinks), the staged
    /// records are committed as before a deep sleep, and whatever the cloud has not acknowledged is sent at once, so
    /// a hardware-in-the-loop run sees every cycle's readings promptly. The line ends with the device's uptime spent in
    /// the cycle (<c>ms=</c>: sampling, the node's wake, the commit and the sends, radio waits included; the test
    /// clock's advance is not counted).
    /// </summary>
    public static class TestCycle
    {
        /// <summary>Most sends one cycle makes to drain what the cloud has not acknowledged.</summary>
        public const int MaxSendsPerCycle = 8;

        /// <summary>The last field of the line: the device's uptime spent in the cycle, ms, follows.</summary>
        public const string UptimeField = " ms=";

        /// <summary>Runs one cycle; <paramref name="line"/> is the console's answer line for it.</summary>
        /// <param name="node">The running node.</param>
        /// <param name="clock">The node's clock.</param>
        /// <param name="periodMs">The cadence period to advance (the base cadence, channels.cadence.base_s).</param>
        /// <param name="sourceCount">Sources of the node (for the values in the line).</param>
        /// <param name="cycleNumber">Number shown in the line.</param>
        /// <param name="line">The answer line, or the reason of a failure.</param>
        /// <returns>False (with the reason in <paramref name="line"/>) when the node is not running.</returns>
        public static bool Run(GatewayNode node, TestClock clock, long periodMs, int sourceCount, int cycleNumber, out string line)
        {
            if (node == null || node.Pipeline == null)
            {
                line = "node not running (provision and configure first)";
                return false;
            }

            long startedMs = clock.UptimeMs - clock.OffsetMs;
            clock.Advance(periodMs);
            long sampleTime = clock.WallTimeMs;
            int storedBefore = node.ReadingsStored;
            int alarmsBefore = node.AlarmsRaised;
            node.Pipeline.RunOnce();
            node.RunCycle();
            node.Suspend();
            int sent = 0;
            bool pending = node.HasUnacknowledged;
            bool sentByNode = !pending && node.ReadingsStored > storedBefore;
            for (int i = 0; i < MaxSendsPerCycle && pending; i++)
            {
                int n = node.SendNow();
                sent += n;
                pending = node.HasUnacknowledged;
                if (n == 0)
                {
                    break;
                }
            }

            string values = "";
            for (int i = 0; i < sourceCount; i++)
            {
                Reading r = node.Pipeline.LastReading(i);
                values = values + " ch" + ((int)r.Channel).ToString() + "=" + r.Value.ToString() + "/0x" + ((int)r.Status).ToString("X4");
            }

            line = "cycle " + cycleNumber.ToString() + " t=" + sampleTime.ToString() + values
                + " stored=" + (node.ReadingsStored - storedBefore).ToString()
                + " alarms=" + (node.AlarmsRaised - alarmsBefore).ToString()
                + " level=" + ((int)node.Detector.AlarmLevel).ToString()
                + (sentByNode ? " sent" : " flushed=" + sent.ToString()) + (pending ? " queued" : " acked")
                + UptimeField + (clock.UptimeMs - clock.OffsetMs - startedMs).ToString();
            return true;
        }
    }
}
