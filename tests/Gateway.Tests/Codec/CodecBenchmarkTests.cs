using System.IO;
using System.Linq;
using Gateway.Cli.Commands;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class CodecBenchmarkTests
    {
        /// <summary>
        /// On every real series the benchmark reads (Trout Creek, UK EA 2014): the codec's channel blocks take at most
        /// half of Gorilla's bits (codec counted with its time coding too, as Gorilla includes timestamps), at most
        /// 0.8 of Deflate's, and at most 0.7 bit per reading more than the best predictor's residual entropy.
        /// </summary>
        [Fact]
        public void CodecBeatsGorillaAndDeflateAndStaysNearTheResidualEntropyOnRealSeries()
        {
            Assert.True(Directory.Exists(CodecPaths.SharedData), $"the shared data directory {CodecPaths.SharedData} is missing");
            var series = CodecSeriesLoader.Load(new[] { CodecPaths.SharedData });
            Assert.True(series.Count >= 10, $"only {series.Count} series loaded");
            Assert.Contains(series, s => s.Name.StartsWith("trout-creek/"));
            Assert.Contains(series, s => s.Name.StartsWith("uk-ea-2014/"));
            var (figures, encodePerSecond, decodePerSecond) = CodecBenchmark.Run(series);
            Assert.Equal(series.Count, figures.Count);
            foreach (var f in figures)
            {
                Assert.True(f.CodecBits + f.CodecTimeBits <= 0.5 * f.GorillaBits,
                    $"{f.Name}: codec {f.CodecBits:F3} + time {f.CodecTimeBits:F3} > 0.5 × Gorilla {f.GorillaBits:F3}");
                Assert.True(f.CodecBits <= 0.8 * f.DeflateBits, $"{f.Name}: codec {f.CodecBits:F3} > 0.8 × Deflate {f.DeflateBits:F3}");
                Assert.True(f.CodecBits <= f.EntropyBits + 0.7, $"{f.Name}: codec {f.CodecBits:F3} > entropy {f.EntropyBits:F3} + 0.7");
                Assert.True(f.CodecTotalBits242 <= f.CodecTotalBits53, $"{f.Name}: bigger batches cost more per reading");
            }

            Assert.True(encodePerSecond > 0 && decodePerSecond > 0);
        }
    }
}
