using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Node
{
    /// <summary>
    /// The whole node on the device runtime (firmware/Gateway.Core/Node/GatewayNode over the real record log,
    /// sampling pipeline, event detector, batch encoder, uplink scheduler and downlink codec), as host tests in
    /// tests/Gateway.Tests/Node drive it: one simulated day of a river in flood on a virtual clock, a RAM flash with
    /// power cuts (clean and torn), a scripted transport whose cloud stores batches and acknowledges them, a link
    /// outage, dropped acknowledgements, and a planned reboot with a cut during boot.
    /// </summary>
    [TestClass]
    public class GatewayNodeDayTests
    {
        private const uint DeviceId = 4242;
        private const long T0 = 1790035200000L; // 2026-09-21T00:00Z
        private const long Hour = 3600000L;
        private const long OutageStart = 13 * Hour;
        private const long OutageEnd = 15 * Hour;

        /// <summary>
        /// One day, about 370 node cycles: the river rises through the observation-start, standby and caution levels
        /// and falls back; alarms are raised and cleared and reach the cloud in the cycle that raised them; after a
        /// 2-hour outage, up to 8 dropped acknowledgements, 6 power cuts in cycles, a cut during boot and a planned reboot,
        /// a final flush leaves every committed reading received and acknowledged, no reading acknowledged twice,
        /// the boot counter and sequence numbers never going back. Prints the node's heap and time figures.
        /// </summary>
        [TestMethod]
        public void ADayOfFloodWithCutsOutageAndRebootEndsWithEveryReadingAcknowledgedOnce()
        {
            long freeAtStart = DeviceFigures.HeapFree();
            DayRig rig = new DayRig();
            GatewayNode node = rig.Build();
            node.Boot();
            long freeAfterBoot = DeviceFigures.HeapFree();
            DeviceFigures.Print("heap_free_after_boot_bytes", freeAfterBoot);
            DeviceFigures.Print("node_heap_in_use_bytes", freeAtStart - freeAfterBoot);
            rig.AfterBoot(node);

            long start = DeviceFigures.NowMs();
            int cycles = 0;
            int cuts = 0;
            bool rebooted = false;
            int[] cutCycles = new int[] { 30, 80, 140, 200, 260, 320 };
            int nextCut = 0;
            while (rig.Clock.WallTimeMs < T0 + 24 * Hour)
            {
                long t = rig.Clock.WallTimeMs - T0;
                rig.Transport.LinkUp = t < OutageStart || t >= OutageEnd;
                if (cycles % 41 == 7 && rig.Transport.AcksDropped < 8)
                {
                    rig.Transport.DropNextAcks = 1;
                }

                if (!rebooted && t >= 15 * Hour)
                {
                    // A planned reboot (a cloud request or a firmware update), and power failing during the boot after it.
                    rebooted = true;
                    node.Suspend();
                    rig.Restart();
                    rig.Store.ArmCut(2, true);
                    try
                    {
                        node = rig.Build();
                        node.Boot();
                        Assert.IsTrue(false, "the armed cut did not fall during boot");
                    }
                    catch (PowerCutException)
                    {
                        cuts++;
                    }

                    rig.Store.PowerOn();
                    rig.Restart();
                    node = rig.Build();
                    node.Boot();
                    rig.AfterBoot(node);
                }

                if (nextCut < cutCycles.Length && cycles >= cutCycles[nextCut] && !rig.Store.Armed)
                {
                    // The cut falls at the 1st to 3rd flash write from here, in this cycle or a later one.
                    rig.Store.ArmCut(1 + nextCut % 3, nextCut % 2 == 0);
                    nextCut++;
                }

                rig.Transport.ProbeHeap = cycles % 97 == 50;
                long next;
                try
                {
                    next = node.RunCycle();
                }
                catch (PowerCutException)
                {
                    cuts++;
                    rig.Store.PowerOn();
                    rig.Restart();
                    node = rig.Build();
                    node.Boot();
                    rig.AfterBoot(node);
                    cycles++;
                    continue;
                }

                rig.Transport.ProbeHeap = false;
                cycles++;
                long sleep = next - rig.Clock.UptimeMs;
                rig.Clock.Advance(sleep < 1000 ? 1000 : sleep);
            }

            long dayMs = DeviceFigures.NowMs() - start;

            // The end of the day: link up, nothing dropped, no cuts; send until the log holds nothing unacknowledged.
            rig.Transport.LinkUp = true;
            rig.Transport.DropNextAcks = 0;
            int rounds = 0;
            while (node.HasUnacknowledged && rounds < 40)
            {
                node.SendNow();
                rig.Clock.Advance(31 * 60000L);
                rounds++;
            }

            DeviceFigures.Print("node_day_cycles", cycles);
            DeviceFigures.Print("node_day_ms", dayMs);
            DeviceFigures.Print("node_cycle_avg_ms", cycles == 0 ? 0 : dayMs / cycles);
            DeviceFigures.Print("node_cycle_heap_free_min_bytes", rig.Transport.LowestFreeHeap);
            OutputHelper.WriteLine("node day: readings " + rig.Readings.ToString() + ", events " + rig.Events.ToString() + ", alarms " + rig.Alarms.ToString()
                + ", sends " + rig.Transport.Sends.ToString() + ", refused " + rig.Transport.Refused.ToString() + ", acks dropped " + rig.Transport.AcksDropped.ToString()
                + ", resent " + rig.Transport.Resent.ToString() + ", cuts " + cuts.ToString() + ", boots " + rig.Boots.ToString() + ", flush rounds " + rounds.ToString());

            Assert.IsFalse(node.HasUnacknowledged, "the final flush drained the log in " + rounds.ToString() + " rounds");
            Assert.IsTrue(cycles >= 300 && cycles <= 2000, "node cycles in the day: " + cycles.ToString());
            Assert.AreEqual(cutCycles.Length + 1, cuts, "power cuts (in cycles, and one during boot)");
            Assert.IsTrue(rig.Transport.Refused > 0, "the outage refused the link");
            Assert.IsTrue(rig.Transport.AcksDropped >= 5, "acknowledgements dropped: " + rig.Transport.AcksDropped.ToString());
            Assert.IsTrue(rig.Transport.Resent > 0, "readings whose acknowledgement was dropped were sent again");
            Assert.AreEqual(0, rig.Transport.Rejected, "batches the cloud rejected (tag, device, format)");
            Assert.IsFalse(rig.Transport.Overflow, "sequence numbers stayed within the test's tables");
            Assert.AreEqual(0, rig.Transport.AcknowledgedTwice, "acknowledgements of records the log already held acknowledged");
            Assert.AreEqual(0, rig.Violations, rig.FirstViolation);

            int missing = 0;
            int unacknowledged = 0;
            for (int s = 0; s <= ScriptedTransport.MaxSequence; s++)
            {
                if (rig.Committed[s] == 0)
                {
                    continue;
                }

                if (rig.Transport.Received[s] == 0)
                {
                    missing++;
                }

                if (rig.Transport.Acknowledged[s] == 0)
                {
                    unacknowledged++;
                }
            }

            Assert.IsTrue(rig.Readings > 250, "readings committed: " + rig.Readings.ToString());
            Assert.AreEqual(0, missing, "committed records the cloud never received");
            Assert.AreEqual(0, unacknowledged, "committed records never acknowledged");

            // The flood raised standby and caution (not evacuation: the crest is below 3000 mm) and cleared them.
            Assert.AreEqual(1, rig.RaisedAt[(int)AlarmLevel.Standby], "standby raised once");
            Assert.AreEqual(1, rig.RaisedAt[(int)AlarmLevel.Caution], "caution raised once");
            Assert.AreEqual(0, rig.RaisedAt[(int)AlarmLevel.EvacuationDecision], "evacuation never raised");
            Assert.IsTrue(rig.Cleared >= 2, "alarms cleared on the way down: " + rig.Cleared.ToString());
            for (int i = 0; i < rig.AlarmCount; i++)
            {
                // Raised with the link up: in the cycle that raised it. Raised in the outage: within 10 minutes of the
                // link's return (the scheduler's alarm retry ceiling is 2 minutes).
                long at = rig.Transport.FirstReceiptOf(rig.AlarmSequence[i]);
                long raised = rig.AlarmTime[i];
                bool inOutage = raised - T0 >= OutageStart && raised - T0 < OutageEnd;
                long allowed = inOutage ? T0 + OutageEnd - raised + 600000 : 60000;
                Assert.IsTrue(at > 0, "alarm record " + rig.AlarmSequence[i].ToString() + " reached the cloud");
                Assert.IsTrue(at - raised <= allowed, "alarm record " + rig.AlarmSequence[i].ToString() + " reached the cloud " + (at - raised).ToString() + " ms after it was raised");
            }
        }

        /// <summary>Everything one test day needs, rebuilt at each boot over the same flash, clock and cloud.</summary>
        private sealed class DayRig : INodeObserver
        {
            public readonly VirtualClock Clock = new VirtualClock(T0, ClockQuality.Network);
            public readonly MemoryFlashStore Store = new MemoryFlashStore(2026);
            public readonly ScriptedTransport Transport;
            public readonly byte[] Committed = new byte[ScriptedTransport.MaxSequence + 1];
            public readonly int[] RaisedAt = new int[5];
            public readonly uint[] AlarmSequence = new uint[32];
            public readonly long[] AlarmTime = new long[32];
            public int AlarmCount;
            public int Cleared;
            public int Readings;
            public int Events;
            public int Alarms;
            public int Boots;
            public int Violations;
            public string FirstViolation = "";
            private readonly byte[] _key = DeviceHmacSha256.CountingKey();
            private readonly SensingSettings _sensing = new SensingSettings();
            private readonly NodeSettings _settings = new NodeSettings();
            private readonly FloodRiverSource _river;
            private readonly DrainingBatterySource _battery;
            private uint _lastBoot;
            private uint _highestSequence;

            public DayRig()
            {
                Transport = new ScriptedTransport(DeviceId, new ManagedHmacSha256(1, _key), 32);
                Transport.Clock = Clock;
                _river = new FloodRiverSource(Clock, T0);
                _battery = new DrainingBatterySource(Clock, T0);
                _sensing.InternalIntervalMs = 300000;
                _sensing.ApproachIntervalMs = 60000;
                _sensing.ApproachMarginMm = 50;
                _sensing.QuietIntervalMs = 600000;
                _sensing.ObservingIntervalMs = 300000;
                _sensing.RapidIntervalMs = 120000;
                _sensing.ObservationStartLevelMm = 1200;
                _sensing.StandbyLevelMm = 1800;
                _sensing.CautionLevelMm = 2400;
                _sensing.EvacuationDecisionLevelMm = 3000;
                _sensing.DangerLevelMm = 3500;
                _sensing.AlarmHysteresisMm = 50;
                _settings.DeviceId = DeviceId;
                _settings.MaxBatchBytes = 242;
                _settings.MaxBatchRecords = 32;
                _settings.QuietSendIntervalMs = 2 * Hour;
            }

            public GatewayNode Build()
            {
                RecordLogSettings logSettings = new RecordLogSettings();
                logSettings.BudgetBytes = 32 * 1024;
                logSettings.MaxSegments = 12;
                logSettings.ReserveBlock = 64;
                RecordLog log = new RecordLog(Store, logSettings);
                ISensorSource[] sources = new ISensorSource[] { _river, _battery };
                FilterChain[] chains = new FilterChain[] { new FilterChain(new IReadingFilter[] { new MedianFilter(3) }), null };
                GatewayNode node = new GatewayNode(_settings, Clock, Clock, new ManagedHmacSha256(1, _key), log, sources, chains, _sensing,
                    new SeededRandom((ulong)(Boots + 11)));
                node.Observer = this;
                node.AddTransport(Transport, 1, PayloadClass.Backfill);
                Transport.Log = log;
                return node;
            }

            /// <summary>Checks what a successful boot must hold: the boot counter and the next sequence only go up.</summary>
            public void AfterBoot(GatewayNode node)
            {
                Boots++;
                if (node.BootCounter <= _lastBoot)
                {
                    Violation("boot counter " + node.BootCounter.ToString() + " after " + _lastBoot.ToString());
                }

                _lastBoot = node.BootCounter;
                if (node.Log.NextSequence <= _highestSequence)
                {
                    Violation("next sequence " + node.Log.NextSequence.ToString() + " after committed " + _highestSequence.ToString());
                }
            }

            /// <summary>A reset: radio downlinks lost, a few seconds without power, uptime from zero.</summary>
            public void Restart()
            {
                Transport.LoseQueuedDownlinks();
                Clock.Advance(3000);
                Clock.Reboot();
            }

            void INodeObserver.OnReadingStored(uint sequence, ref Reading reading)
            {
                Note(sequence, 1);
                Readings++;
            }

            void INodeObserver.OnEventStored(uint sequence, ref SensingEvent e)
            {
                Note(sequence, e.Priority == EventPriority.Alarm ? (byte)3 : (byte)2);
                Events++;
                if (e.Priority == EventPriority.Alarm)
                {
                    Alarms++;
                    if (AlarmCount < AlarmSequence.Length)
                    {
                        AlarmSequence[AlarmCount] = sequence;
                        AlarmTime[AlarmCount] = Clock.WallTimeMs;
                        AlarmCount++;
                        Transport.Watch(sequence);
                    }
                }

                if (e.Kind == EventKind.AlarmRaised)
                {
                    RaisedAt[(int)e.Level]++;
                }
                else if (e.Kind == EventKind.AlarmCleared)
                {
                    Cleared++;
                }
            }

            private void Note(uint sequence, byte kind)
            {
                if (sequence > ScriptedTransport.MaxSequence)
                {
                    Violation("sequence " + sequence.ToString() + " beyond the test's table");
                    return;
                }

                if (Committed[sequence] != 0)
                {
                    Violation("sequence " + sequence.ToString() + " handed out twice");
                }

                Committed[sequence] = kind;
                if (sequence > _highestSequence)
                {
                    _highestSequence = sequence;
                }
            }

            private void Violation(string what)
            {
                if (Violations == 0)
                {
                    FirstViolation = what;
                }

                Violations++;
            }
        }
    }
}
