using Gateway.Core.Downlink;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Downlink
{
    /// <summary>Downlinks authenticated with the board's own HMAC-SHA256: the documented bytes, a round trip, a replay.</summary>
    [TestClass]
    public class DownlinkCodecTests
    {
        private static DownlinkCommand Ack(uint counter)
        {
            DownlinkCommand c = new DownlinkCommand();
            c.Kind = DownlinkKind.Ack;
            c.KeyId = 1;
            c.Counter = counter;
            c.AckRangeCount = 1;
            c.AckFirst[0] = 1000;
            c.AckCount[0] = 100;
            return c;
        }

        /// <summary>The README's worked example (device 7, key 00..1f, counter 5, ack 1000..1099) has the documented bytes.</summary>
        [TestMethod]
        public void TheWorkedExampleHasTheDocumentedBytes()
        {
            DownlinkCodec cloud = new DownlinkCodec(7, new DeviceHmacSha256(1, DeviceHmacSha256.CountingKey()));
            byte[] output = new byte[DownlinkCodec.MaxBytes];
            int n = cloud.Encode(Ack(5), output);
            byte[] expected = new byte[] { 0x11, 0x01, 0x07, 0x05, 0x01, 0xe8, 0x07, 0x64, 0x65, 0x75, 0x23, 0x25, 0xed, 0x12, 0xec, 0x2d };
            Assert.AreEqual(expected.Length, n);
            for (int i = 0; i < n; i++)
            {
                Assert.AreEqual(expected[i], output[i], "byte " + i.ToString());
            }
        }

        /// <summary>An ack decodes to what was sent; the same bytes again are refused as a replay; an altered tag is refused.</summary>
        [TestMethod]
        public void AckRoundTripsAndReplaysAndForgeriesAreRefused()
        {
            byte[] key = DeviceHmacSha256.CountingKey();
            DownlinkCodec cloud = new DownlinkCodec(7, new DeviceHmacSha256(1, key));
            DownlinkCodec gateway = new DownlinkCodec(7, new DeviceHmacSha256(1, key));
            byte[] bytes = new byte[DownlinkCodec.MaxBytes];
            int n = cloud.Encode(Ack(9), bytes);
            DownlinkCommand got = new DownlinkCommand();

            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual((byte)DownlinkKind.Ack, (byte)got.Kind);
            Assert.AreEqual(1, got.AckRangeCount);
            Assert.AreEqual(1000u, got.AckFirst[0]);
            Assert.AreEqual(100u, got.AckCount[0]);
            Assert.AreEqual(9u, gateway.LastCounter);

            Assert.AreEqual((byte)DownlinkRefusal.Replay, (byte)gateway.TryDecode(bytes, 0, n, got));

            n = cloud.Encode(Ack(10), bytes);
            bytes[n - 1] ^= 0x01;
            Assert.AreEqual((byte)DownlinkRefusal.BadTag, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual(9u, gateway.LastCounter);
        }
    }
}
