using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Sensing.Events
{
    /// <summary>
    /// The event detector on the device (firmware/Gateway.Core/Sensing/Events): the MLIT cadence ladder (quiet,
    /// observing, rapid) with the observation-start hysteresis, named river levels raised once and cleared only
    /// below their hysteresis, the approach interval, rate of rise, the pre-trigger ring, and the state that keeps
    /// alarms from being raised again after a restart.
    /// </summary>
    [TestClass]
    public class EventDetectorTests
    {
        private const long T0 = 1790000000000L;
        private const long Minute = 60000L;

        private static SensingSettings River()
        {
            SensingSettings s = new SensingSettings();
            s.InternalIntervalMs = 60000;
            s.ApproachIntervalMs = 5000;
            s.ApproachMarginMm = 50;
            s.QuietIntervalMs = 600000;
            s.ObservingIntervalMs = 300000;
            s.RapidIntervalMs = 120000;
            s.ObservationStartLevelMm = 1000;
            s.ObservationStartHysteresisMm = 50;
            s.StandbyLevelMm = 1500;
            s.CautionLevelMm = 2000;
            s.EvacuationDecisionLevelMm = 2500;
            s.DangerLevelMm = 3000;
            s.AlarmHysteresisMm = 50;
            return s;
        }

        /// <summary>
        /// Quiet below the observation-start level (10-minute records), observing at it (5 minutes), rapid from the
        /// caution level (2 minutes); down again only below each threshold minus its hysteresis; every step is a
        /// CadenceChanged event carrying the new interval, alarm priority on the way up.
        /// </summary>
        [TestMethod]
        public void TheCadenceLadderStepsUpAtEachLevelAndDownOnlyBelowItsHysteresis()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            Feed(d, ref t, 900);
            Assert.AreEqual((byte)CadenceMode.Quiet, (byte)d.Mode);
            Assert.AreEqual(600000, d.RecordIntervalMs);

            Feed(d, ref t, 1000);
            Assert.AreEqual((byte)CadenceMode.Observing, (byte)d.Mode);
            Assert.AreEqual(300000, d.RecordIntervalMs);
            Assert.IsTrue(r.Has(EventKind.CadenceChanged, EventPriority.Alarm), "stepping up is an alarm-priority event");
            Assert.AreEqual(300000, r.LastCadenceMs);

            Feed(d, ref t, 960);
            Assert.AreEqual((byte)CadenceMode.Observing, (byte)d.Mode, "960 mm is within the 50 mm hysteresis below 1000 mm");
            Feed(d, ref t, 940);
            Assert.AreEqual((byte)CadenceMode.Quiet, (byte)d.Mode, "940 mm is below the hysteresis");
            Assert.AreEqual(600000, r.LastCadenceMs);

            Feed(d, ref t, 1500);
            Assert.AreEqual((byte)AlarmLevel.Standby, (byte)d.AlarmLevel);
            Assert.AreEqual((byte)CadenceMode.Observing, (byte)d.Mode);
            Feed(d, ref t, 2000);
            Assert.AreEqual((byte)AlarmLevel.Caution, (byte)d.AlarmLevel);
            Assert.AreEqual((byte)CadenceMode.Rapid, (byte)d.Mode);
            Assert.AreEqual(120000, d.RecordIntervalMs);

            Feed(d, ref t, 1960);
            Assert.AreEqual((byte)AlarmLevel.Caution, (byte)d.AlarmLevel, "1960 mm is within the hysteresis of the caution level");
            Feed(d, ref t, 1940);
            Assert.AreEqual((byte)AlarmLevel.Standby, (byte)d.AlarmLevel, "1940 mm clears caution");
            Assert.AreEqual((byte)CadenceMode.Observing, (byte)d.Mode);
            Assert.AreEqual(1, r.Count(EventKind.AlarmCleared));
        }

        /// <summary>A level is raised once however long the river stays above it; a jump raises every level passed, lowest first.</summary>
        [TestMethod]
        public void LevelsAreRaisedOnceAndAJumpRaisesEveryLevelPassed()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            for (int i = 0; i < 20; i++)
            {
                Feed(d, ref t, 1600 + (i % 3));
            }

            Assert.AreEqual(1, r.Count(EventKind.AlarmRaised), "standby raised once in 20 readings above it");
            Feed(d, ref t, 2600);
            Assert.AreEqual(3, r.Count(EventKind.AlarmRaised), "caution and evacuation raised by one jump");
            Assert.AreEqual((byte)AlarmLevel.EvacuationDecision, (byte)d.AlarmLevel);
            Assert.AreEqual((byte)AlarmLevel.EvacuationDecision, (byte)r.LastRaisedLevel);
            Feed(d, ref t, 900);
            Assert.AreEqual((byte)AlarmLevel.None, (byte)d.AlarmLevel);
            Assert.AreEqual(3, r.Count(EventKind.AlarmCleared), "each level clears on the way down");
        }

        /// <summary>In quiet mode one reading in ten (1-minute samples) is recorded; in rapid mode one in two.</summary>
        [TestMethod]
        public void RecordsFollowTheCadenceOfTheMode()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            for (int i = 0; i < 60; i++)
            {
                Feed(d, ref t, 800);
            }

            Assert.AreEqual(6, r.Readings, "an hour of quiet: 6 records");
            r.Readings = 0;
            Feed(d, ref t, 2100);
            int afterStep = r.Readings;
            for (int i = 0; i < 60; i++)
            {
                Feed(d, ref t, 2100);
            }

            Assert.AreEqual(30, r.Readings - afterStep, "an hour of rapid: 30 records");
        }

        /// <summary>Within the approach margin below the next level the sampling interval drops to the approach interval (5 s).</summary>
        [TestMethod]
        public void SamplingSpeedsUpJustBelowTheNextLevel()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            Feed(d, ref t, 1200);
            Assert.AreEqual(60000, d.NextSampleIntervalMs);
            Feed(d, ref t, 1460);
            Assert.AreEqual(5000, d.NextSampleIntervalMs, "40 mm below standby");
        }

        /// <summary>A rise faster than the rate-of-rise limit switches to rapid cadence before any level is reached.</summary>
        [TestMethod]
        public void AFastRiseGoesRapidBeforeAnyLevel()
        {
            SensingSettings s = River();
            s.RateOfRiseMmPer10Min = 100;
            s.ObservationStartLevelMm = SensingSettings.Disabled;
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(s, r, r, 1);
            long t = 0;
            for (int i = 0; i <= 10; i++)
            {
                Feed(d, ref t, 500);
            }

            Assert.AreEqual((byte)CadenceMode.Quiet, (byte)d.Mode);
            for (int i = 1; i <= 10; i++)
            {
                Feed(d, ref t, 500 + i * 20);
            }

            Assert.IsTrue(r.Count(EventKind.RateOfRise) == 1, "rate of rise raised once: " + r.Count(EventKind.RateOfRise).ToString());
            Assert.AreEqual((byte)CadenceMode.Rapid, (byte)d.Mode);
            Assert.AreEqual((byte)AlarmLevel.None, (byte)d.AlarmLevel);
        }

        /// <summary>Stepping up commits the pre-trigger ring: the unrecorded samples of the last 30 minutes reach the sink.</summary>
        [TestMethod]
        public void SteppingUpCommitsThePreTriggerRing()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            for (int i = 0; i < 30; i++)
            {
                Feed(d, ref t, 800 + i);
            }

            int before = r.Readings;
            Feed(d, ref t, 1100);
            Assert.IsTrue(r.Has(EventKind.PreTriggerCommitted, EventPriority.Routine), "the ring was committed");
            Assert.IsTrue(r.Readings - before >= 20, "unrecorded samples reached the sink: " + (r.Readings - before).ToString());
        }

        /// <summary>After a restart with the exported state, a river still above caution raises nothing again; without it, it would.</summary>
        [TestMethod]
        public void ExportedStateKeepsAlarmsFromBeingRaisedAgainAfterARestart()
        {
            Recorder r = new Recorder();
            EventDetector d = new EventDetector(River(), r, r, 1);
            long t = 0;
            Feed(d, ref t, 2100);
            Assert.AreEqual(2, r.Count(EventKind.AlarmRaised));
            byte[] state = new byte[EventDetector.StateLength];
            d.ExportState(state, 0);

            Recorder after = new Recorder();
            EventDetector restarted = new EventDetector(River(), after, after, 1);
            Assert.IsTrue(restarted.ImportState(state, 0));
            long u = 0;
            Feed(restarted, ref u, 2100);
            Assert.AreEqual(0, after.Count(EventKind.AlarmRaised), "nothing raised twice");
            Assert.AreEqual((byte)CadenceMode.Rapid, (byte)restarted.Mode);

            Recorder fresh = new Recorder();
            EventDetector forgetful = new EventDetector(River(), fresh, fresh, 1);
            long v = 0;
            Feed(forgetful, ref v, 2100);
            Assert.AreEqual(2, fresh.Count(EventKind.AlarmRaised), "a detector without the state raises again");

            state[0] = 99;
            Assert.IsFalse(new EventDetector(River(), fresh, fresh, 1).ImportState(state, 0), "an unknown state version is refused");
        }

        private static void Feed(EventDetector d, ref long uptime, int level)
        {
            Reading reading = new Reading(ChannelId.WaterLevelMillimeters, T0 + uptime, level, ReadingStatus.Ok);
            d.Process(ref reading, uptime);
            uptime += Minute;
        }

        /// <summary>Counts what the detector hands on.</summary>
        private sealed class Recorder : IReadingSink, ISensingEventSink
        {
            private readonly int[] _kinds = new int[16];
            private readonly int[] _alarmPriority = new int[16];
            public int Readings;
            public int LastCadenceMs;
            public AlarmLevel LastRaisedLevel;

            public void Accept(ref Reading reading)
            {
                Readings++;
            }

            public void Accept(ref SensingEvent e)
            {
                _kinds[(int)e.Kind]++;
                if (e.Priority == EventPriority.Alarm)
                {
                    _alarmPriority[(int)e.Kind]++;
                }

                if (e.Kind == EventKind.CadenceChanged)
                {
                    LastCadenceMs = e.CadenceMs;
                }

                if (e.Kind == EventKind.AlarmRaised)
                {
                    LastRaisedLevel = e.Level;
                }
            }

            public int Count(EventKind kind)
            {
                return _kinds[(int)kind];
            }

            public bool Has(EventKind kind, EventPriority priority)
            {
                return priority == EventPriority.Alarm ? _alarmPriority[(int)kind] > 0 : _kinds[(int)kind] > _alarmPriority[(int)kind];
            }
        }
    }
}
