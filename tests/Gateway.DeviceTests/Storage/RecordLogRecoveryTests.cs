using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Storage
{
    /// <summary>
    /// Record-log recovery on the device runtime after power cuts, clean and torn, at write after write of a log
    /// that journals, seals segments and reserves sequence blocks: the log always reopens, every record whose
    /// append returned is read back intact, nothing corrupt is ever returned, and numbering never goes back.
    /// </summary>
    [TestClass]
    public class RecordLogRecoveryTests
    {
        private const long T0 = 1790000000000L;
        private const int Appends = 240;

        private static Reading ReadingFor(int index)
        {
            return new Reading(ChannelId.WaterLevelMillimeters, T0 + index * 60000L, 1000 + index * 3, ReadingStatus.Ok);
        }

        /// <summary>The append index a record's value says it came from, or -1 when no append wrote such a record.</summary>
        private static int IndexOf(ref LogRecord r)
        {
            if (r.Kind != RecordKind.Reading || r.Channel != ChannelId.WaterLevelMillimeters || (r.Value - 1000) % 3 != 0)
            {
                return -1;
            }

            int index = (r.Value - 1000) / 3;
            return index >= 0 && r.TimeMs == T0 + index * 60000L ? index : -1;
        }

        private static RecordLogSettings Settings()
        {
            RecordLogSettings s = new RecordLogSettings();
            s.BudgetBytes = 32 * 1024;
            s.MaxSegments = 12;
            s.ReserveBlock = 64;
            return s;
        }

        /// <summary>
        /// Cuts at 14 points spread over a 240-reading run (every 17th flash write from the first, torn and clean in
        /// turn): after each the log reopens, all committed readings are there with their values, every record it
        /// returns is one that was appended, and appends after recovery continue above every sequence seen.
        /// </summary>
        [TestMethod]
        public void EveryCommittedReadingSurvivesACutAtAnyWriteAndNothingCorruptIsReturned()
        {
            uint[] committed = new uint[Appends + 1];
            int tornCuts = 0;
            for (int trial = 0; trial < 14; trial++)
            {
                MemoryFlashStore store = new MemoryFlashStore(trial);
                RecordLog log = new RecordLog(store, Settings());
                log.Open();
                bool torn = trial % 2 == 1;
                store.ArmCut(1 + trial * 17, torn);
                int done = 0;
                bool cut = false;
                try
                {
                    for (; done < Appends; done++)
                    {
                        Reading r = ReadingFor(done);
                        committed[done] = log.Append(ref r);
                    }
                }
                catch (PowerCutException)
                {
                    cut = true;
                }

                store.PowerOn();
                Assert.IsTrue(cut, "trial " + trial.ToString() + ": the cut fell inside the run");
                if (torn)
                {
                    tornCuts++;
                }

                uint highest = done > 0 ? committed[done - 1] : 0;
                RecordLog reopened = new RecordLog(store, Settings());
                reopened.Open();
                CheckCommitted(reopened, committed, done, "trial " + trial.ToString());
                highest = CheckNothingCorrupt(reopened, committed, done, highest, "trial " + trial.ToString());

                // Carry on after the cut: numbering continues above everything seen.
                Reading more = ReadingFor(done);
                uint next = reopened.Append(ref more);
                Assert.IsTrue(next > highest, "trial " + trial.ToString() + ": sequence " + next.ToString() + " after " + highest.ToString());
                committed[done] = next;
                reopened.Suspend();
                RecordLog third = new RecordLog(store, Settings());
                third.Open();
                CheckCommitted(third, committed, done + 1, "trial " + trial.ToString() + " after a second reopen");
            }

            Assert.AreEqual(7, tornCuts, "torn cuts exercised");
        }

        /// <summary>
        /// A torn tail (part of a frame and garbage after the last commit) is found at recovery, counted in the
        /// health figures, and not returned.
        /// </summary>
        [TestMethod]
        public void ATornTailIsCountedAtRecoveryAndNotReturned()
        {
            MemoryFlashStore store = new MemoryFlashStore(99);
            RecordLog log = new RecordLog(store, Settings());
            log.Open();
            uint[] committed = new uint[Appends + 1];
            for (int i = 0; i < 20; i++)
            {
                Reading r = ReadingFor(i);
                committed[i] = log.Append(ref r);
            }

            store.ArmCut(1, true);
            bool cut = false;
            try
            {
                Reading r = ReadingFor(20);
                log.Append(ref r);
            }
            catch (PowerCutException)
            {
                cut = true;
            }

            Assert.IsTrue(cut, "the append was cut");
            Assert.AreEqual(1, store.TornWrites);
            store.PowerOn();
            RecordLog reopened = new RecordLog(store, Settings());
            reopened.Open();
            StorageHealth health = new StorageHealth();
            reopened.FillHealth(health, 1000, 64);
            CheckCommitted(reopened, committed, 20, "torn tail");
            CheckNothingCorrupt(reopened, committed, 20, committed[19], "torn tail");
            Assert.IsTrue(health.TornAtRecovery + health.CorruptFilesAtRecovery >= 1, "the torn tail was noticed: torn " + health.TornAtRecovery.ToString() + ", corrupt files " + health.CorruptFilesAtRecovery.ToString());
        }

        private static void CheckCommitted(RecordLog log, uint[] committed, int count, string what)
        {
            for (int i = 0; i < count; i++)
            {
                LogRecord record;
                Assert.IsTrue(log.TryRead(committed[i], out record), what + ": committed reading " + i.ToString() + " (sequence " + committed[i].ToString() + ") is missing");
                Assert.AreEqual(i, IndexOf(ref record), what + ": sequence " + committed[i].ToString() + " holds another value");
            }
        }

        private static uint CheckNothingCorrupt(RecordLog log, uint[] committed, int count, uint highest, string what)
        {
            uint from = log.OldestSequence;
            LogRecord r;
            int seen = 0;
            while (log.TryReadNext(from, out r))
            {
                int index = IndexOf(ref r);
                if (r.Kind == RecordKind.Reading)
                {
                    Assert.IsTrue(index >= 0 && index <= count, what + ": sequence " + r.Sequence.ToString() + " returned a reading no append wrote (value " + r.Value.ToString() + ")");
                    if (index < count)
                    {
                        Assert.AreEqual(committed[index], r.Sequence, what + ": reading " + index.ToString() + " under another sequence");
                    }

                    seen++;
                }

                if (r.LastCovered > highest)
                {
                    highest = r.LastCovered;
                }

                if (r.LastCovered == uint.MaxValue)
                {
                    break;
                }

                from = r.LastCovered + 1;
            }

            Assert.IsTrue(seen >= count, what + ": " + seen.ToString() + " readings returned, " + count.ToString() + " committed");
            return highest;
        }
    }
}
