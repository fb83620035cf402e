using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Codec
{
    /// <summary>
    /// The batch encoder on the device against the shared codec vectors (tests/vectors/codec-v2.json and the frozen
    /// codec-v1.json, embedded in <see cref="SharedCodecVectors"/>): the device writes the very bytes the host encoder
    /// wrote and the cloud and JavaScript decoders read; and the tests' own header reader (what the scripted cloud of
    /// the node tests acknowledges by) finds each vector's sequences, channels and flags, in both versions.
    /// </summary>
    [TestClass]
    public class BatchVectorTests
    {
        private static readonly char[] Bar = new char[] { '|' };
        private static readonly char[] Semicolon = new char[] { ';' };
        private static readonly char[] Comma = new char[] { ',' };

        private static byte[] Key()
        {
            byte[] key;
            Assert.IsTrue(HexText.TryParse(SharedCodecVectors.KeyHex, 32, out key), "the vector key is 64 hex digits");
            return key;
        }

        private static int ParseReadings(string text, Reading[] readings, uint[] sequences)
        {
            string[] items = text.Split(Semicolon);
            for (int i = 0; i < items.Length; i++)
            {
                string[] f = items[i].Split(Comma);
                sequences[i] = (uint)long.Parse(f[0]);
                readings[i] = new Reading((ChannelId)(byte)int.Parse(f[1]), long.Parse(f[2]), int.Parse(f[3]), (ReadingStatus)(ushort)int.Parse(f[4]));
            }

            return items.Length;
        }

        /// <summary>
        /// Every embedded version-2 vector is encoded byte for byte by a new encoder: same length, same bytes, same tag,
        /// every reading taken. (The version-1 vectors are frozen: the device no longer writes them; the header reader
        /// below still reads them.)
        /// </summary>
        [TestMethod]
        public void EncoderWritesTheSharedVectorsByteForByte()
        {
            byte[] key = Key();
            Reading[] readings = new Reading[16];
            uint[] sequences = new uint[16];
            byte[] output = new byte[1024];
            for (int v = 0; v < SharedCodecVectors.BatchesV2.Length; v++)
            {
                string[] f = SharedCodecVectors.BatchesV2[v].Split(Bar);
                string name = f[0];
                int budget = int.Parse(f[3]);
                string hex = f[4];
                int n = ParseReadings(f[5], readings, sequences);
                BatchEncoder encoder = new BatchEncoder(new ManagedHmacSha256((byte)SharedCodecVectors.KeyId, key), (uint)long.Parse(f[1]), (uint)long.Parse(f[2]), budget);
                int tagBytes = 4 * ((HexText.DigitValue(hex[1]) & 0x0F) + 1);
                int length = encoder.Encode(readings, sequences, 0, n, budget, tagBytes, output, 0);
                Assert.AreEqual(hex.Length / 2, length, name + ": length");
                Assert.AreEqual(n, encoder.Taken, name + ": every reading taken");
                Assert.AreEqual(hex, HexText.ToHex(output, 0, length), name + ": bytes");
            }
        }

        /// <summary>The header reader of the scripted cloud finds each version-2 vector's sequences, channels and flags.</summary>
        [TestMethod]
        public void HeaderReaderFindsEachVersionTwoVectorsSequencesChannelsAndFlags()
        {
            Reading[] readings = new Reading[16];
            uint[] sequences = new uint[16];
            BatchHeaderReader reader = new BatchHeaderReader(64);
            for (int v = 0; v < SharedCodecVectors.BatchesV2.Length; v++)
            {
                string[] f = SharedCodecVectors.BatchesV2[v].Split(Bar);
                int n = ParseReadings(f[5], readings, sequences);
                byte[] batch;
                Assert.IsTrue(HexText.TryParse(f[4], f[4].Length / 2, out batch), f[0]);
                reader.ExpectedDeviceId = (uint)long.Parse(f[1]);
                Assert.IsTrue(reader.TryRead(batch, 0, batch.Length), f[0] + ": read");
                Assert.AreEqual(2, reader.Version, f[0] + ": version");
                Assert.AreEqual((uint)long.Parse(f[2]), reader.BootCounter, f[0] + ": boot counter");
                Assert.AreEqual(readings[0].TimeMs, reader.BaseTimeMs, f[0] + ": base time");
                Assert.AreEqual(n, reader.Count, f[0] + ": count");
                for (int i = 0; i < n; i++)
                {
                    Assert.AreEqual(sequences[i], reader.Sequence(i), f[0] + ": sequence of reading " + i.ToString());
                    Assert.AreEqual((byte)readings[i].Channel, (byte)reader.Channel(i), f[0] + ": channel of reading " + i.ToString());
                    Assert.AreEqual((ushort)readings[i].Status, (ushort)reader.Status(i), f[0] + ": status of reading " + i.ToString());
                }
            }
        }

        /// <summary>The header reader of the scripted cloud finds each vector's sequences (gaps included), channels and flags.</summary>
        [TestMethod]
        public void HeaderReaderFindsEachVectorsSequencesChannelsAndFlags()
        {
            Reading[] readings = new Reading[16];
            uint[] sequences = new uint[16];
            BatchHeaderReader reader = new BatchHeaderReader(64);
            for (int v = 0; v < SharedCodecVectors.Batches.Length; v++)
            {
                string[] f = SharedCodecVectors.Batches[v].Split(Bar);
                int n = ParseReadings(f[5], readings, sequences);
                byte[] batch;
                Assert.IsTrue(HexText.TryParse(f[4], f[4].Length / 2, out batch), f[0]);
                Assert.IsTrue(reader.TryRead(batch, 0, batch.Length), f[0] + ": read");
                Assert.AreEqual((uint)long.Parse(f[1]), reader.DeviceId, f[0] + ": device");
                Assert.AreEqual((uint)long.Parse(f[2]), reader.BootCounter, f[0] + ": boot counter");
                Assert.AreEqual(n, reader.Count, f[0] + ": count");
                for (int i = 0; i < n; i++)
                {
                    Assert.AreEqual(sequences[i], reader.Sequence(i), f[0] + ": sequence of reading " + i.ToString());
                    Assert.AreEqual((byte)readings[i].Channel, (byte)reader.Channel(i), f[0] + ": channel of reading " + i.ToString());
                    Assert.AreEqual((ushort)readings[i].Status, (ushort)reader.Status(i), f[0] + ": status of reading " + i.ToString());
                }
            }
        }

        /// <summary>The vectors no decoder may accept (empty, header only) are refused by the header reader too.</summary>
        [TestMethod]
        public void HeaderReaderRefusesTheRefusedVectors()
        {
            BatchHeaderReader reader = new BatchHeaderReader(64);
            for (int v = 0; v < SharedCodecVectors.Refused.Length; v++)
            {
                string[] f = SharedCodecVectors.Refused[v].Split(Bar);
                byte[] batch;
                Assert.IsTrue(HexText.TryParse(f[2], f[2].Length / 2, out batch), f[0]);
                Assert.IsFalse(reader.TryRead(batch, 0, batch.Length), f[0] + " was read");
            }
        }

        /// <summary>
        /// Figures of one batch encode at the LoRaWAN budget (40 two-channel readings, 242 bytes, 64-bit tag): the time
        /// of the Encode call and the heap the encoder holds (construction and encode); the batch fits its budget.
        /// </summary>
        [TestMethod]
        public void OneBatchEncodeFitsItsBudgetAndReportsItsTimeAndHeap()
        {
            Reading[] readings = new Reading[40];
            uint[] sequences = new uint[40];
            for (int i = 0; i < 40; i++)
            {
                ChannelId channel = i % 2 == 0 ? ChannelId.WaterLevelMillimeters : ChannelId.BatteryMillivolts;
                int value = i % 2 == 0 ? 1200 + (i * 7 % 23) : 3700 - i / 10;
                readings[i] = new Reading(channel, 1790000000000L + (i / 2) * 600000L, value, ReadingStatus.Ok);
                sequences[i] = 9000u + (uint)i;
            }

            byte[] output = new byte[242];
            ManagedHmacSha256 hmac = new ManagedHmacSha256(1, Key());
            long freeBefore = DeviceFigures.HeapFree();
            BatchEncoder encoder = new BatchEncoder(hmac, 7, 1, 242);
            long start = DeviceFigures.NowMs();
            int length = encoder.Encode(readings, sequences, 0, 40, 242, 8, output, 0);
            long elapsed = DeviceFigures.NowMs() - start;
            long freeAfter = DeviceFigures.HeapFree();
            Assert.IsTrue(length > 0 && length <= 242, "length " + length.ToString());
            Assert.AreEqual(40, encoder.Taken);
            DeviceFigures.Print("batch_encode_ms", elapsed);
            DeviceFigures.Print("batch_encode_bytes", length);
            DeviceFigures.Print("batch_encoder_heap_bytes", freeBefore - freeAfter);
            Assert.IsTrue(freeBefore - freeAfter < 16384, "the encoder holds less than 16 KB: " + (freeBefore - freeAfter).ToString());
        }
    }
}
