using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Storage
{
    /// <summary>The record log on the device runtime, over a flash store in RAM: append, reopen (recovery), read back.</summary>
    [TestClass]
    public class RecordLogTests
    {
        private const long T0 = 1790000000000L;

        /// <summary>Every appended reading is read back after a new log recovers the same store, and numbering continues.</summary>
        [TestMethod]
        public void AppendedReadingsSurviveReopeningAndNumberingContinues()
        {
            MemoryFlashStore store = new MemoryFlashStore();
            RecordLog log = new RecordLog(store, new RecordLogSettings());
            log.Open();
            uint first = 0;
            for (int i = 0; i < 300; i++)
            {
                Reading r = new Reading(ChannelId.WaterLevelMillimeters, T0 + i * 60000L, 1000 + i * 3, ReadingStatus.Ok);
                uint seq = log.Append(ref r);
                if (i == 0)
                {
                    first = seq;
                }
            }

            log.Suspend();
            uint next = log.NextSequence;
            Assert.IsTrue(store.Writes > 0, "the log wrote to flash");

            RecordLog reopened = new RecordLog(store, new RecordLogSettings());
            reopened.Open();
            Assert.AreEqual(next, reopened.NextSequence);
            for (int i = 0; i < 300; i++)
            {
                LogRecord record;
                Assert.IsTrue(reopened.TryRead(first + (uint)i, out record), "sequence " + (first + (uint)i).ToString());
                Assert.AreEqual(1000 + i * 3, record.Value);
                Assert.AreEqual(T0 + i * 60000L, record.TimeMs);
                Assert.AreEqual((byte)ChannelId.WaterLevelMillimeters, (byte)record.Channel);
            }

            Reading more = new Reading(ChannelId.WaterLevelMillimeters, T0 + 300 * 60000L, 1, ReadingStatus.Ok);
            Assert.AreEqual(next, reopened.Append(ref more));
        }

        /// <summary>Acknowledged records stay acknowledged after recovery.</summary>
        [TestMethod]
        public void AcknowledgementsSurviveReopening()
        {
            MemoryFlashStore store = new MemoryFlashStore();
            RecordLog log = new RecordLog(store, new RecordLogSettings());
            log.Open();
            uint first = 0;
            uint last = 0;
            for (int i = 0; i < 20; i++)
            {
                Reading r = new Reading(ChannelId.WaterLevelMillimeters, T0 + i * 60000L, i, ReadingStatus.Ok);
                last = log.Append(ref r);
                if (i == 0)
                {
                    first = last;
                }
            }

            log.Acknowledge(first, first + 9);
            log.Suspend();

            RecordLog reopened = new RecordLog(store, new RecordLogSettings());
            reopened.Open();
            Assert.IsTrue(reopened.IsAcknowledged(first + 9));
            Assert.IsFalse(reopened.IsAcknowledged(first + 10));
            uint oldest;
            Assert.IsTrue(reopened.TryGetOldestUnacknowledged(out oldest));
            Assert.AreEqual(first + 10, oldest);
        }
    }
}
