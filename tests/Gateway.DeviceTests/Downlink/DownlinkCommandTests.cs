using Gateway.Core.Downlink;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Downlink
{
    /// <summary>
    /// Every downlink kind round-trips on the device, and malformed, misaddressed and forged downlinks are refused
    /// with their counted reason and nothing acted on (firmware/Gateway.Core/Downlink/README.md). Uses the managed
    /// HMAC so it runs on runtimes without the crypto natives.
    /// </summary>
    [TestClass]
    public class DownlinkCommandTests
    {
        private static DownlinkCodec Codec(uint device)
        {
            return new DownlinkCodec(device, new ManagedHmacSha256(1, DeviceHmacSha256.CountingKey()));
        }

        private static int Ack(DownlinkCodec cloud, uint counter, byte[] output)
        {
            DownlinkCommand c = new DownlinkCommand();
            c.Kind = DownlinkKind.Ack;
            c.Counter = counter;
            c.AckRangeCount = 2;
            c.AckFirst[0] = 1;
            c.AckCount[0] = 5;
            c.AckFirst[1] = uint.MaxValue;
            c.AckCount[1] = 1;
            return cloud.Encode(c, output);
        }

        /// <summary>The managed HMAC gives the README's worked example bytes (the known answer of the downlink tag).</summary>
        [TestMethod]
        public void TheWorkedExampleHasTheDocumentedBytesWithTheManagedHmac()
        {
            DownlinkCommand c = new DownlinkCommand();
            c.Kind = DownlinkKind.Ack;
            c.Counter = 5;
            c.AckRangeCount = 1;
            c.AckFirst[0] = 1000;
            c.AckCount[0] = 100;
            byte[] output = new byte[DownlinkCodec.MaxBytes];
            int n = Codec(7).Encode(c, output);
            Assert.AreEqual("1101070501e8076465752325ed12ec2d", Gateway.Core.Codec.HexText.ToHex(output, 0, n));
        }

        /// <summary>Ack (two ranges, one at the top of the sequence space), time, config, history, cadence and reboot decode to what was sent.</summary>
        [TestMethod]
        public void EveryKindSurvivesARoundTrip()
        {
            DownlinkCodec cloud = Codec(7);
            DownlinkCodec gateway = Codec(7);
            DownlinkCommand got = new DownlinkCommand();
            byte[] bytes = new byte[DownlinkCodec.MaxBytes];

            int n = Ack(cloud, 1, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual(2, got.AckRangeCount);
            Assert.AreEqual(1u, got.AckFirst[0]);
            Assert.AreEqual(5u, got.AckCount[0]);
            Assert.AreEqual(uint.MaxValue, got.AckFirst[1]);

            DownlinkCommand c = new DownlinkCommand();
            c.Kind = DownlinkKind.Time;
            c.Counter = 2;
            c.TimeMs = 1790000000123L;
            n = cloud.Encode(c, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual((byte)DownlinkKind.Time, (byte)got.Kind);
            Assert.AreEqual(1790000000123L, got.TimeMs);

            string json = "{\"cadence\":{\"base_s\":600}}";
            c.Clear();
            c.Kind = DownlinkKind.Config;
            c.Counter = 3;
            for (int i = 0; i < json.Length; i++)
            {
                c.ConfigBytes[i] = (byte)json[i];
            }

            c.ConfigLength = json.Length;
            n = cloud.Encode(c, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual(json.Length, got.ConfigLength);
            for (int i = 0; i < json.Length; i++)
            {
                Assert.AreEqual((byte)json[i], got.ConfigBytes[i], "config byte " + i.ToString());
            }

            c.Clear();
            c.Kind = DownlinkKind.History;
            c.Counter = 4;
            c.TimeMs = 10;
            c.ToTimeMs = 20;
            n = cloud.Encode(c, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual(10L, got.TimeMs);
            Assert.AreEqual(20L, got.ToTimeMs);

            c.Clear();
            c.Kind = DownlinkKind.Cadence;
            c.Counter = 5;
            c.Seconds = 120;
            c.DurationSeconds = 86400;
            n = cloud.Encode(c, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual(120u, got.Seconds);
            Assert.AreEqual(86400u, got.DurationSeconds);

            c.Clear();
            c.Kind = DownlinkKind.Reboot;
            c.Counter = 6;
            c.Seconds = 5;
            n = cloud.Encode(c, bytes);
            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(bytes, 0, n, got));
            Assert.AreEqual((byte)DownlinkKind.Reboot, (byte)got.Kind);
            Assert.AreEqual(5u, got.Seconds);
            Assert.AreEqual(6u, gateway.LastCounter);
            Assert.AreEqual(6, gateway.Accepted);
        }

        /// <summary>
        /// Malformed downlinks are refused with their reason and counted: empty, too short, version 2, unknown kind,
        /// another gateway's, another key id, a trailing byte, a truncated varint, a replay after a reboot that
        /// restored the counter, and every single bit flip of a valid ack.
        /// </summary>
        [TestMethod]
        public void MalformedMisaddressedAndForgedDownlinksAreRefusedWithTheirReason()
        {
            DownlinkCodec cloud = Codec(7);
            DownlinkCommand got = new DownlinkCommand();
            byte[] valid = new byte[DownlinkCodec.MaxBytes];
            int n = Ack(cloud, 3, valid);
            byte[] work = new byte[DownlinkCodec.MaxBytes];

            DownlinkCodec gateway = Codec(7);
            Assert.AreEqual((byte)DownlinkRefusal.TooShort, (byte)gateway.TryDecode(work, 0, 0, got));
            Assert.AreEqual((byte)DownlinkRefusal.TooShort, (byte)gateway.TryDecode(valid, 0, 11, got));

            System.Array.Copy(valid, work, n);
            work[0] = 0x21;
            Assert.AreEqual((byte)DownlinkRefusal.WrongVersion, (byte)gateway.TryDecode(work, 0, n, got));
            work[0] = 0x17;
            Assert.AreEqual((byte)DownlinkRefusal.UnknownKind, (byte)gateway.TryDecode(work, 0, n, got));

            byte[] other = new byte[DownlinkCodec.MaxBytes];
            int m = Ack(Codec(8), 1, other);
            Assert.AreEqual((byte)DownlinkRefusal.WrongDevice, (byte)gateway.TryDecode(other, 0, m, got));

            DownlinkCodec otherKeyId = new DownlinkCodec(7, new ManagedHmacSha256(2, DeviceHmacSha256.CountingKey()));
            m = Ack(otherKeyId, 1, other);
            Assert.AreEqual((byte)DownlinkRefusal.UnknownKey, (byte)gateway.TryDecode(other, 0, m, got));

            // A byte between the body and the tag.
            System.Array.Copy(valid, work, n - 8);
            work[n - 8] = 0;
            System.Array.Copy(valid, n - 8, work, n - 7, 8);
            Assert.AreEqual((byte)DownlinkRefusal.TrailingBytes, (byte)gateway.TryDecode(work, 0, n + 1, got));

            // The counter's varint never ends before the tag.
            work[0] = valid[0];
            work[1] = valid[1];
            work[2] = valid[2];
            for (int i = 3; i < 12; i++)
            {
                work[i] = 0xFF;
            }

            Assert.AreEqual((byte)DownlinkRefusal.MalformedVarint, (byte)gateway.TryDecode(work, 0, 20, got));
            Assert.AreEqual(0, gateway.Accepted, "nothing was accepted");
            Assert.AreEqual(8, gateway.Refused, "every refusal was counted");
            Assert.AreEqual((byte)DownlinkKind.None, (byte)got.Kind, "a refused downlink leaves nothing to act on");

            Assert.AreEqual((byte)DownlinkRefusal.None, (byte)gateway.TryDecode(valid, 0, n, got));
            DownlinkCodec rebooted = Codec(7);
            rebooted.LastCounter = gateway.LastCounter;
            Assert.AreEqual((byte)DownlinkRefusal.Replay, (byte)rebooted.TryDecode(valid, 0, n, got));

            for (int bit = 0; bit < n * 8; bit++)
            {
                DownlinkCodec fresh = Codec(7);
                System.Array.Copy(valid, work, n);
                work[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.AreNotEqual((byte)DownlinkRefusal.None, (byte)fresh.TryDecode(work, 0, n, got), "bit " + bit.ToString() + " flipped was accepted");
            }
        }
    }
}
