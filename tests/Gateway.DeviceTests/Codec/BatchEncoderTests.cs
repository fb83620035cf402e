using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Codec
{
    /// <summary>
    /// The batch encoder on the device (decoding is host-only: the cloud's job): the same readings give the same
    /// bytes, and a batch never exceeds its budget.
    /// </summary>
    [TestClass]
    public class BatchEncoderTests
    {
        private const long T0 = 1790000000000L;

        private static void Readings(Reading[] readings, uint[] sequences)
        {
            for (int i = 0; i < readings.Length; i++)
            {
                readings[i] = new Reading(ChannelId.WaterLevelMillimeters, T0 + i * 600000L, 1200 + (i * 7 % 23), ReadingStatus.Ok);
                sequences[i] = 5000u + (uint)i;
            }
        }

        /// <summary>Two encoders with the same device, boot and key produce identical batches of identical length.</summary>
        [TestMethod]
        public void SameReadingsGiveTheSameBatch()
        {
            Reading[] readings = new Reading[40];
            uint[] sequences = new uint[40];
            Readings(readings, sequences);
            byte[] key = DeviceHmacSha256.CountingKey();
            byte[] a = new byte[256];
            byte[] b = new byte[256];
            int la = new BatchEncoder(new DeviceHmacSha256(1, key), 7, 3, 256).Encode(readings, sequences, 0, 40, 242, 8, a, 0);
            int lb = new BatchEncoder(new DeviceHmacSha256(1, key), 7, 3, 256).Encode(readings, sequences, 0, 40, 242, 8, b, 0);
            Assert.IsTrue(la > 0, "a batch was written");
            Assert.AreEqual(la, lb);
            for (int i = 0; i < la; i++)
            {
                Assert.AreEqual(a[i], b[i], "byte " + i.ToString());
            }
        }

        /// <summary>At the DR2 budget (11 bytes of payload at most per the uplink layer, 51 at DR3) the batch fits and takes fewer readings.</summary>
        [TestMethod]
        public void BatchesFitTheirBudget()
        {
            Reading[] readings = new Reading[40];
            uint[] sequences = new uint[40];
            Readings(readings, sequences);
            byte[] key = DeviceHmacSha256.CountingKey();
            byte[] output = new byte[256];
            int[] budgets = new int[] { 51, 115, 242 };
            int lastTaken = 0;
            for (int i = 0; i < budgets.Length; i++)
            {
                BatchEncoder encoder = new BatchEncoder(new DeviceHmacSha256(1, key), 7, 3, 256);
                int length = encoder.Encode(readings, sequences, 0, 40, budgets[i], 8, output, 0);
                Assert.IsTrue(length > 0 && length <= budgets[i], "budget " + budgets[i].ToString() + ": length " + length.ToString());
                Assert.IsTrue(encoder.Taken >= lastTaken, "a larger budget takes at least as many readings");
                lastTaken = encoder.Taken;
            }

            Assert.AreEqual(40, lastTaken);
        }
    }
}
