using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;

namespace Gateway.Cli.Commands
{
    /// <summary>Figures of one series (bits per reading).</summary>
    public sealed record CodecSeriesFigures(
        string Name, int Readings, double CodecBits, double CodecTimeBits, double CodecTotalBits53, double CodecTotalBits242,
        double GorillaBits, double VarintBits, double DeflateBits, double EntropyBits, string EntropyPredictor);

    /// <summary>The codec benchmark: the batch codec against Gorilla, delta-varint, Deflate and the residual entropy.</summary>
    public static class CodecBenchmark
    {
        /// <summary>Budget at which channel-block bits (codec_bits) are measured.</summary>
        public const int BlockBudget = 242;

        /// <summary>Runs every figure on every series; throughput over all of them, in the same run.</summary>
        public static (List<CodecSeriesFigures> Series, double EncodePerSecond, double DecodePerSecond) Run(IReadOnlyList<CodecSeries> series)
        {
            var key = new byte[32];
            new Random(1).NextBytes(key);
            var hmac = new HostHmacSha256(1, key);
            var figures = new List<CodecSeriesFigures>();
            long encoded = 0, decoded = 0;
            double encodeSeconds = 0, decodeSeconds = 0;
            foreach (var s in series)
            {
                var readings = new Reading[s.Values.Length];
                var seqs = new uint[readings.Length];
                for (int i = 0; i < readings.Length; i++)
                {
                    readings[i] = new Reading(s.Channel, s.TimesMs[i], s.Values[i], ReadingStatus.Ok);
                    seqs[i] = (uint)(i + 1);
                }

                var sw = Stopwatch.StartNew();
                var at242 = Pack(hmac, readings, seqs, 242, out long blockBits, out long timeBits, out var batches);
                sw.Stop();
                encodeSeconds += sw.Elapsed.TotalSeconds;
                encoded += readings.Length;
                var at53 = Pack(hmac, readings, seqs, 53, out _, out _, out _);

                sw.Restart();
                foreach (var b in batches)
                {
                    if (BatchDecoder.TryDecode(b, out var d, out var err) != DecodeStatus.Ok)
                    {
                        throw new InvalidOperationException($"{s.Name}: a batch does not decode: {err}");
                    }

                    decoded += d!.Readings.Count;
                }

                sw.Stop();
                decodeSeconds += sw.Elapsed.TotalSeconds;
                var (entropy, predictor) = CodecBaselines.ResidualEntropy(s.Values);
                double n = readings.Length;
                figures.Add(new CodecSeriesFigures(s.Name, readings.Length, blockBits / n, timeBits / n, at53 * 8.0 / n, at242 * 8.0 / n,
                    CodecBaselines.GorillaBits(s.TimesMs, s.Values), CodecBaselines.VarintBits(s.Values),
                    CodecBaselines.DeflateBits(s.Values), entropy, predictor));
            }

            return (figures, encoded / Math.Max(encodeSeconds, 1e-9), decoded / Math.Max(decodeSeconds, 1e-9));
        }

        /// <summary>Packs a whole series into committed batches of a budget; returns the total bytes.</summary>
        private static long Pack(HostHmacSha256 hmac, Reading[] readings, uint[] seqs, int budget, out long blockBits, out long timeBits, out List<byte[]> batches)
        {
            var enc = new BatchEncoder(hmac, 77, 1, budget);
            var buf = new byte[budget];
            batches = new List<byte[]>();
            long total = 0;
            blockBits = 0;
            timeBits = 0;
            int at = 0;
            while (at < readings.Length)
            {
                int len = enc.Encode(readings, seqs, at, readings.Length - at, budget, 8, buf, 0);
                if (len == 0)
                {
                    throw new InvalidOperationException($"not one reading fits {budget} B");
                }

                enc.Commit();
                batches.Add(buf.AsSpan(0, len).ToArray());
                total += len;
                blockBits += enc.LastBlockBits;
                timeBits += enc.LastExceptionBits;
                at += enc.Taken;
            }

            return total;
        }

        /// <summary>Default data: every series under ../shared/data beside the repository.</summary>
        public static string DefaultDataDirectory()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Gateway.Host.slnx")))
            {
                dir = dir.Parent;
            }

            var root = dir?.FullName ?? Directory.GetCurrentDirectory();
            return Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        }
    }

    /// <summary>./gateway bench codec: bits per reading of the batch codec and its baselines on real series.</summary>
    public sealed class BenchCodecCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "bench";

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var data = new Option<string[]>("--data")
            {
                Description = "series files or directories (Trout Creek log, EA .tsv, or CSV of time,value); default: all of ../shared/data",
                AllowMultipleArgumentsPerToken = true,
            };
            var cmd = new Command("codec", "batch codec vs Gorilla, delta-varint, Deflate and residual entropy, in bits per reading, on real series");
            cmd.Options.Add(data);
            cmd.Options.Add(json);
            cmd.SetAction(pr =>
            {
                var paths = pr.GetValue(data);
                if (paths is null || paths.Length == 0)
                {
                    paths = new[] { CodecBenchmark.DefaultDataDirectory() };
                }

                List<CodecSeries> series;
                try
                {
                    series = CodecSeriesLoader.Load(paths);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"bench codec: {e.Message}");
                    return 2;
                }

                if (series.Count == 0)
                {
                    Console.Error.WriteLine("bench codec: no series found in " + string.Join(", ", paths));
                    return 2;
                }

                var (figures, enc, dec) = CodecBenchmark.Run(series);
                if (pr.GetValue(json))
                {
                    var report = new FigureReport()
                        .Add("series", figures.Select(f => new Dictionary<string, object>
                        {
                            ["name"] = f.Name, ["readings"] = f.Readings, ["codec_bits"] = Math.Round(f.CodecBits, 3),
                            ["codec_total_bits_53"] = Math.Round(f.CodecTotalBits53, 3), ["codec_total_bits_242"] = Math.Round(f.CodecTotalBits242, 3),
                            ["gorilla_bits"] = Math.Round(f.GorillaBits, 3), ["varint_bits"] = Math.Round(f.VarintBits, 3),
                            ["deflate_bits"] = Math.Round(f.DeflateBits, 3), ["entropy_bits"] = Math.Round(f.EntropyBits, 3),
                        }).ToList())
                        .Add("encode_readings_per_s", Math.Round(enc))
                        .Add("decode_readings_per_s", Math.Round(dec));
                    report.Write(Console.Out, true);
                    return 0;
                }

                Console.WriteLine($"{"series",-58} {"n",6} {"codec",6} {"time",5} {"tot53",6} {"tot242",6} {"gorilla",7} {"varint",6} {"deflate",7} {"H0",6} pred");
                foreach (var f in figures)
                {
                    Console.WriteLine($"{f.Name,-58} {f.Readings,6} {f.CodecBits,6:F3} {f.CodecTimeBits,5:F2} {f.CodecTotalBits53,6:F2} {f.CodecTotalBits242,6:F2} {f.GorillaBits,7:F2} {f.VarintBits,6:F2} {f.DeflateBits,7:F2} {f.EntropyBits,6:F3} {f.EntropyPredictor}");
                }

                Console.WriteLine($"bits per reading; codec = channel blocks at {CodecBenchmark.BlockBudget} B; time = exceptions and time block; tot53/tot242 = whole batches with headers and 64-bit tags");
                Console.WriteLine($"encode_readings_per_s  {enc:F0}");
                Console.WriteLine($"decode_readings_per_s  {dec:F0}");
                return 0;
            });
            return cmd;
        }
    }
}
