using System;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class BatchRoundTripTests
    {
        [Theory]
        [InlineData(53, 8)]
        [InlineData(125, 8)]
        [InlineData(242, 8)]
        [InlineData(1024, 16)]
        public void RandomStreamsDecodeToTheSameReadingsSequencesAndTimes(int budget, int tagBytes)
        {
            var rng = new Random(budget);
            int timeBlocks = 0, scheduled = 0, ranged = 0, rice = 0;
            for (int round = 0; round < 60; round++)
            {
                var (r, s) = CodecFixtures.Stream(rng, rng.Next(1, 400));
                if (round % 3 == 0)
                {
                    // A logger clock that jitters by whole seconds around its period.
                    for (int j = 0; j < r.Length; j++)
                    {
                        r[j].TimeMs = 1_600_000_000_000L + j * 300_000L + rng.Next(-2, 3) * 1000L;
                    }
                }

                var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 5, 2048);
                int at = 0;
                foreach (var batch in CodecFixtures.Batches(enc, r, s, budget, tagBytes))
                {
                    Assert.True(batch.Length <= budget);
                    var st = BatchDecoder.TryDecode(batch, out var d, out var err);
                    Assert.True(st == DecodeStatus.Ok, $"round {round}: {err}");
                    if (d!.RangeCoded)
                    {
                        ranged++;
                    }
                    else
                    {
                        rice++;
                    }

                    if (d.TimeBlock)
                    {
                        timeBlocks++;
                    }
                    else
                    {
                        scheduled++;
                    }

                    foreach (var dr in d!.Readings)
                    {
                        Assert.Equal(s[at], dr.Sequence);
                        Assert.Equal(r[at], dr.Reading);
                        at++;
                    }
                }

                Assert.Equal(r.Length, at);
            }

            Assert.True(timeBlocks > 0 && scheduled > 0, $"time blocks {timeBlocks}, schedules {scheduled}: both time codings must be exercised");
            Assert.True(ranged > 0 && rice > 0, $"range coded {ranged}, Rice coded {rice}: both block codings must be exercised");
        }

        [Theory]
        [InlineData(53)]
        [InlineData(242)]
        [InlineData(1024)]
        public void EncoderTakesAsManyReadingsAsFitAndNeverMore(int budget)
        {
            var rng = new Random(11);
            for (int round = 0; round < 30; round++)
            {
                var (r, s) = CodecFixtures.Stream(rng, 3000);
                var enc = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 2048);
                var buf = new byte[budget];
                int len = enc.Encode(r, s, 0, r.Length, budget, 8, buf, 0);
                Assert.InRange(len, 1, budget);
                int taken = enc.Taken;
                if (taken < r.Length)
                {
                    // One more reading does not fit: encode exactly taken + 1 with a larger budget and see it exceed.
                    var probe = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 4096);
                    int bigger = probe.Encode(r, s, 0, taken + 1, 4096, 8, new byte[4096], 0);
                    Assert.Equal(taken + 1, probe.Taken);
                    Assert.True(bigger > budget, $"taken {taken}, {taken + 1} readings take {bigger} B ≤ {budget} B");
                }
            }
        }

        [Fact]
        public void NoReadingFitsInElevenBytes()
        {
            var rng = new Random(1);
            var (r, s) = CodecFixtures.Stream(rng, 10);
            var enc = new BatchEncoder(CodecFixtures.Hmac(), 1, 1, 64);
            Assert.Equal(0, enc.Encode(r, s, 0, r.Length, 11, 8, new byte[64], 0));
            Assert.Equal(0, enc.Taken);
        }
    }
}
