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
            enc.Encode(r, s, 0, 100, 242, 8, output, 0); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            long readings = 0;
            for (int round = 0; round < 200; round++)
            {
                int at = (round * 37) % 4000;
                enc.Encode(r, s, at, r.Length - at, budgets[round % 4], round % 4 == 3 ? 16 : 8, output, 0);
                enc.Commit();
                readings += enc.Taken;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(readings > 10_000, $"only {readings} readings encoded");
            Assert.Equal(0, allocated);
        }

        [Fact]
        public void EncoderStateStaysUnderTwoKilobytesForLoRaWanBudgets()
        {
            // The encoder's arrays: work buffer (max batch) + 3 × 32 B tags + 16 B channels; fields ~100 B.
            var enc = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 256);
            long size = 0;
            foreach (var f in typeof(BatchEncoder).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
            {
                if (f.GetValue(enc) is byte[] a)
                {
                    size += a.Length + 24;
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
