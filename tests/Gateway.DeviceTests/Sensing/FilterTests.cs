using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Filters;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Sensing
{
    /// <summary>The median and spike filters on the device.</summary>
    [TestClass]
    public class FilterTests
    {
        private static Reading Level(int value)
        {
            return new Reading(ChannelId.WaterLevelMillimeters, 0, value, ReadingStatus.Ok);
        }

        /// <summary>A median of three removes a single outlier (until the window fills it takes the upper middle) and follows a step after two readings.</summary>
        [TestMethod]
        public void MedianOfThreeRemovesAnOutlier()
        {
            MedianFilter median = new MedianFilter(3);
            int[] input = new int[] { 1000, 1002, 5000, 1001, 1003, 2000, 2000, 2000 };
            int[] expected = new int[] { 1000, 1002, 1002, 1002, 1003, 1003, 2000, 2000 };
            for (int i = 0; i < input.Length; i++)
            {
                Reading r = Level(input[i]);
                Assert.IsTrue(median.TryApply(ref r));
                Assert.AreEqual(expected[i], r.Value, "reading " + i.ToString());
            }
        }

        /// <summary>A flagged reading passes the median unchanged and does not enter its window.</summary>
        [TestMethod]
        public void MedianPassesFlaggedReadingsUnchanged()
        {
            MedianFilter median = new MedianFilter(3);
            Reading a = Level(1000);
            median.TryApply(ref a);
            Reading flagged = new Reading(ChannelId.WaterLevelMillimeters, 0, 0, ReadingStatus.NoEcho);
            Assert.IsTrue(median.TryApply(ref flagged));
            Assert.AreEqual(0, flagged.Value);
            Reading b = Level(1010);
            median.TryApply(ref b);
            Assert.AreEqual(1010, b.Value);
        }

        /// <summary>A lone jump above the step limit is rejected and flagged; a confirmed step is accepted.</summary>
        [TestMethod]
        public void SpikeFilterRejectsALoneJumpAndAcceptsAConfirmedStep()
        {
            SpikeFilter spike = new SpikeFilter(300, 3);
            Reading r = Level(1000);
            spike.TryApply(ref r);
            Reading jump = Level(4000);
            spike.TryApply(ref jump);
            Assert.IsTrue((jump.Status & ReadingStatus.SpikeRejected) != 0, "a lone jump is flagged");
            Assert.AreEqual(1, spike.Rejected);

            Reading back = Level(1010);
            spike.TryApply(ref back);
            Assert.AreEqual((ushort)0, (ushort)back.Status);
            Assert.AreEqual(1010, back.Value);

            bool accepted = false;
            for (int i = 0; i < 5 && !accepted; i++)
            {
                Reading step = Level(2000 + i);
                spike.TryApply(ref step);
                accepted = step.Status == ReadingStatus.Ok && step.Value == 2000 + i;
            }

            Assert.IsTrue(accepted, "a step confirmed by consecutive readings is accepted");
        }
    }
}
