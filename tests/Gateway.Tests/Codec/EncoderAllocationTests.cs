using System;
using Gateway.Core.Codec;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class EncoderAllocationTests
    {
        [Fact]
        public void EncodingAllocatesNothingAfterConstruction()
        {
            var rng = new Random(3);
            var (r, s) = CodecFixtures.Stream(rng, 5000);
            var enc = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 1024);
            var output = new byte[1024];
            int[] budgets = { 53, 125, 242, 1024 };
            long Rounds(out long readings)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                readings = 0;
                for (int round = 0; round < 200; round++)
                {
                    int at = (round * 37) % 4000;
                    enc.Encode(r, s, at, r.Length - at, budgets[round % 4], round % 4 == 3 ? 16 : 8, output, 0);
                    enc.Commit();
                    readings += enc.Taken;
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Rounds(out _); // warm up: every path compiled (the runtime may still tier a method up later, once)
            long allocated = Rounds(out var readings);
            Assert.True(readings > 10_000, $"only {readings} readings encoded");
            Gateway.Tests.Support.SteadyAllocation.AssertNone(allocated, () => Rounds(out _), 8192, "encoding (200 batches a span)");
        }

        [Fact]
        public void EncoderStateStaysUnderTwoKilobytesForLoRaWanBudgets()
        {
            // The encoder's arrays: work buffer (max batch), 2 × 32 B tags, 16 B channels, 83 range models; coders and fields.
            var enc = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 256);
            long size = 0;
            foreach (var f in typeof(BatchEncoder).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
            {
                var value = f.GetValue(enc);
                if (value is Array a)
                {
                    size += Buffer.ByteLength(a) + 24;
                }
                else if (value is RangeEncoder or BitWriter)
                {
                    size += 64;
                }
                else
                {
                    size += 8;
                }
            }

            Assert.True(size < 2048, $"encoder state {size} B");
        }
    }
}
