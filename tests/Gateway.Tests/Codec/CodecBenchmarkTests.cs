using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cli.Commands;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Codec
{
    /// <summary>
    /// Properties of the codec that hold for any series, checked on generated series of varied shapes (steps, noise,
    /// spikes, constant, gaps, ramps, random walks, large values): lossless, within budget, never above the delta-varint
    /// baseline plus the batch headers and tags. No gate is tuned to a particular data set.
    /// </summary>
    public class CodecBenchmarkTests
    {
        /// <summary>Most bytes a version-2 header (byte 0 and the full-form bit header, explicit one-channel list) plus the period takes.</summary>
        private const int HeaderAllowanceBytes = 40;

        public static IEnumerable<object[]> Shapes() =>
            new[] { "steps", "noise", "spikes", "constant", "gaps", "ramp", "walk", "large" }.SelectMany(s => new[] { new object[] { s, 1 }, new object[] { s, 2 } });

        /// <summary>A generated series: readings every 10 minutes (with holes for "gaps"), values of the named shape.</summary>
        public static CodecSeries Generate(string shape, int seed, int n = 1500)
        {
            var rng = new Random(seed * 7919 + shape.Length);
            var times = new long[n];
            var values = new int[n];
            long t = 1_790_000_000_000L;
            double level = rng.Next(0, 5000);
            for (int i = 0; i < n; i++)
            {
                t += shape == "gaps" && rng.Next(20) == 0 ? 600_000L * rng.Next(2, 50) : 600_000L;
                times[i] = t;
                values[i] = shape switch
                {
                    "steps" => 1000 + (500 * ((i / rng.Next(40, 60)) % 4)),
                    "noise" => rng.Next(-2000, 2000),
                    "spikes" => rng.Next(50) == 0 ? rng.Next(int.MinValue / 2, int.MaxValue / 2) : 1500 + rng.Next(-3, 4),
                    "constant" => 4242,
                    "gaps" => 800 + (i % 17),
                    "ramp" => -50_000 + (i * 37),
                    "walk" => (int)(level += rng.Next(-20, 21)),
                    _ => rng.Next(int.MinValue, int.MaxValue),
                };
            }

            return new CodecSeries($"generated/{shape}/{seed}", ChannelId.WaterLevelMillimeters, times, values);
        }

        [Theory]
        [MemberData(nameof(Shapes))]
        public void AnySeriesRoundTripsWithinBudgetAndNeverCostsMoreThanVarintsPlusHeaders(string shape, int seed)
        {
            var s = Generate(shape, seed);
            var readings = s.Values.Select((v, i) => new Reading(s.Channel, s.TimesMs[i], v, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(1, readings.Length).Select(i => (uint)i).ToArray();
            foreach (int budget in new[] { 53, 242 })
            {
                var enc = new BatchEncoder(new HostHmacSha256(1, TestVectorTests.ExampleKey), 5, 1, budget);
                var buf = new byte[budget];
                int at = 0, batches = 0;
                long bytes = 0;
                while (at < readings.Length)
                {
                    int len = enc.Encode(readings, seqs, at, readings.Length - at, budget, 8, buf, 0);
                    Assert.InRange(len, 1, budget);
                    Assert.True(BatchDecoder.TryDecode(buf.AsSpan(0, len).ToArray(), new BatchContext(5, 0, -1), out var d, out var error) == DecodeStatus.Ok, error);
                    Assert.Equal(enc.Taken, d!.Readings.Count);
                    for (int i = 0; i < enc.Taken; i++)
                    {
                        var want = readings[at + i];
                        var got = d.Readings[i];
                        Assert.Equal(seqs[at + i], got.Sequence);
                        Assert.Equal((want.Channel, want.TimeMs, want.Value, want.Status), (got.Reading.Channel, got.Reading.TimeMs, got.Reading.Value, got.Reading.Status));
                    }

                    enc.Commit();
                    at += enc.Taken;
                    bytes += len;
                    batches++;
                }

                double varintBytes = CodecBaselines.VarintBits(s.Values) * s.Values.Length / 8;
                Assert.True(bytes <= varintBytes + (batches * (HeaderAllowanceBytes + 8L)),
                    $"{s.Name} @ {budget} B: {bytes} B > varint {varintBytes:F0} B + {batches} × ({HeaderAllowanceBytes} + 8) B");
            }
        }

        [Fact]
        public void BenchmarkFiguresAreConsistentOnGeneratedSeries()
        {
            var series = Shapes().Select(o => Generate((string)o[0], (int)o[1], 600)).ToList();
            var (figures, encodePerSecond, decodePerSecond) = CodecBenchmark.Run(series);
            Assert.Equal(series.Count, figures.Count);
            foreach (var f in figures)
            {
                Assert.InRange(f.CodecTimeBits, 0, f.CodecBits);
                Assert.True(f.CodecTotalBits242 >= f.CodecBits, $"{f.Name}: whole batches cost less than their blocks");
                Assert.True(f.DeflateDeltaBits > 0 && f.BrotliDeltaBits > 0 && f.GorillaBits > 0);
            }

            Assert.True(encodePerSecond > 0 && decodePerSecond > 0);
        }

        [Fact]
        public void OneWakeOfFiveValuesFitsTwentyFourBytesAndDecodesAsEncoded()
        {
            var wake = CodecBenchmark.SingleWake(); // throws when a wake does not verify and decode to what was encoded
            Assert.InRange(wake.CompactBytes, 1, 24);
            Assert.True(wake.FullBytes > wake.CompactBytes);
            Assert.Equal(wake.CompactBytes * 2, wake.CompactHex.Length);
        }
    }
}
