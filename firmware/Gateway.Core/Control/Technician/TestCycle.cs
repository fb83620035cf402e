using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Core.Control.Technician
{
    /// <summary>
    /// One accelerated sampling cycle in test mode, the same on the device and on the virtual gateway: the test clock
    /// moves one cadence period (the event detector's record interval in force), the pipeline samples every source
    /// now (injected values where given), the node runs its wake (events, send decision, downlinks), the staged
    /// records are committed as before a deep sleep, and whatever the cloud has not acknowledged is sent at once, so
    /// a hardware-in-the-loop run sees every cycle's readings promptly.
    /// </summary>
    public static class TestCycle
    {
        /// <summary>Runs one cycle; <paramref name="line"/> is the console's answer line for it.</summary>
        /// <returns>False (with the reason in <paramref name="line"/>) when the node is not running.</returns>
        public static bool Run(GatewayNode node, TestClock clock, int sourceCount, int cycleNumber, out string line)
        {
            if (node == null || node.Pipeline == null)
            {
                line = "node not running (provision and configure first)";
                return false;
            }

            clock.Advance(node.Detector.RecordIntervalMs);
            int storedBefore = node.ReadingsStored;
            int alarmsBefore = node.AlarmsRaised;
            node.Pipeline.RunOnce();
            node.RunCycle();
            node.Suspend();
            int sent = 0;
            bool pending = node.HasUnacknowledged;
            if (pending)
            {
                sent = node.SendNow();
                pending = node.HasUnacknowledged;
            }

            string values = "";
            for (int i = 0; i < sourceCount; i++)
            {
                Reading r = node.Pipeline.LastReading(i);
                values = values + " ch" + ((int)r.Channel).ToString() + "=" + r.Value.ToString() + "/0x" + ((int)r.Status).ToString("X4");
            }

            line = "cycle " + cycleNumber.ToString() + " t=" + clock.WallTimeMs.ToString() + values
                + " stored=" + (node.ReadingsStored - storedBefore).ToString()
                + " alarms=" + (node.AlarmsRaised - alarmsBefore).ToString()
                + " level=" + ((int)node.Detector.AlarmLevel).ToString()
                + " sent=" + sent.ToString() + (pending ? " queued" : " acked");
            return true;
        }
    }
}
