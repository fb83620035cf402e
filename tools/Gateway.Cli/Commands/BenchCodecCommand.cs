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
    /// <param name="Name">Series name.</param>
    /// <param name="Readings">Readings in the series.</param>
    /// <param name="CodecBits">Channel blocks plus time coding (exceptions, time block) at 242 B, as Gorilla counts its timestamps.</param>
    /// <param name="CodecTimeBits">The time-coding part of <paramref name="CodecBits"/>.</param>
    /// <param name="CodecTotalBits53">Whole batches (headers, tags) at the 53-byte budget.</param>
    /// <param name="CodecTotalBits242">Whole batches at the 242-byte budget.</param>
    /// <param name="GorillaBits">Gorilla, timestamps included.</param>
    /// <param name="VarintBits">Zigzag LEB128 varints of the deltas.</param>
    /// <param name="DeflateBits">Deflate of the raw int32 values.</param>
    /// <param name="DeflateDeltaBits">Deflate of the delta-varint stream.</param>
    /// <param name="BrotliDeltaBits">Brotli (quality 11) of the delta-varint stream.</param>
    /// <param name="EntropyBits">Order-0 entropy of the best predictor's residuals.</param>
    /// <param name="EntropyPredictor">That predictor.</param>
    public sealed record CodecSeriesFigures(
        string Name, int Readings, double CodecBits, double CodecTimeBits, double CodecTotalBits53, double CodecTotalBits242,
        double GorillaBits, double VarintBits, double DeflateBits, double DeflateDeltaBits, double BrotliDeltaBits,
        double EntropyBits, string EntropyPredictor);

    /// <summary>One wake through the device encoder: compact (the chain and clock known) and full (a new chain), bytes.</summary>
    public sealed record SingleWakeFigures(int CompactBytes, int FullBytes, string CompactHex);

    /// <summary>The codec benchmark: the batch codec against Gorilla, delta-varint, Deflate and the residual entropy.</summary>
    public static class CodecBenchmark
    {
        /// <summary>Budget at which channel-block bits (codec_bits) are measured.</summary>
        public const int BlockBudget = 242;

        /// <summary>Device id of the benchmark's batches.</summary>
        private const uint BenchDevice = 77;

        /// <summary>One wake of a river-and-slope gateway (channel profile 1): level, pressure, two tilts, battery.</summary>
        public static Reading[] Wake(long timeMs) => new[]
        {
            new Reading(ChannelId.WaterLevelMillimeters, timeMs, 1523, ReadingStatus.Ok),
            new Reading(ChannelId.PressurePascals, timeMs, 14930, ReadingStatus.Ok),
            new Reading(ChannelId.TiltXMillidegrees, timeMs, 850, ReadingStatus.Ok),
            new Reading(ChannelId.TiltYMillidegrees, timeMs, -420, ReadingStatus.Ok),
            new Reading(ChannelId.BatteryMillivolts, timeMs, 3712, ReadingStatus.Ok),
        };

        /// <summary>
        /// Encodes one wake (8-byte tag, 53-byte LoRaWAN budget) through <see cref="BatchEncoder"/>, as the first batch of a
        /// chain (full form) and as the next wake two minutes later (compact form), and checks both by verifying and
        /// decoding them as the receiver does.
        /// </summary>
        public static SingleWakeFigures SingleWake()
        {
            var key = new byte[32];
            new Random(2).NextBytes(key);
            long t0 = new DateTimeOffset(2026, 9, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var enc = new BatchEncoder(new HostHmacSha256(1, key), BenchDevice, 3, 53);
            var verifier = new BatchVerifier();
            verifier.AddKey(BenchDevice, 1, key);
            var buf = new byte[53];
            int Wake1(long t, uint firstSeq, long now, out byte[] batch)
            {
                var readings = Wake(t);
                var seqs = Enumerable.Range(0, readings.Length).Select(i => firstSeq + (uint)i).ToArray();
                enc.NowMs = now;
                enc.ReceiverInSync = true; // the receiver acknowledged the wake before
                int len = enc.Encode(readings, seqs, 0, readings.Length, 53, 8, buf, 0);
                if (len == 0 || enc.Taken != readings.Length)
                {
                    throw new InvalidOperationException("one wake does not fit 53 bytes");
                }

                batch = buf.AsSpan(0, len).ToArray();
                var r = verifier.Verify(batch, BenchDevice, now + 1500);
                if (!r.Accepted || r.Batch!.Readings.Count != readings.Length ||
                    !r.Batch.Readings.Select(x => x.Reading).Zip(readings).All(p => Same(p.First, p.Second)) || r.Batch.FirstSequence != firstSeq)
                {
                    throw new InvalidOperationException("a wake does not verify and decode to what was encoded: " + r.Message);
                }

                enc.Commit();
                return len;
            }

            int full = Wake1(t0, 1000, 0, out _);
            int compact = Wake1(t0 + 120_000, 1005, t0 + 121_000, out var compactBatch);
            if (!BatchDecoder.TryDecode(compactBatch, new BatchContext(BenchDevice, 1005, t0 + 122_000), out var d, out _).Equals(DecodeStatus.Ok) || !d!.Compact)
            {
                throw new InvalidOperationException("the second wake is not compact");
            }

            return new SingleWakeFigures(compact, full, Convert.ToHexStringLower(compactBatch));
        }

        /// <summary>
        /// Runs every figure on every series; throughput over all of them, in the same run, after an untimed warm-up pass;
        /// every decoded reading is checked against what was encoded (after the timed decode).
        /// </summary>
        public static (List<CodecSeriesFigures> Series, double EncodePerSecond, double DecodePerSecond) Run(IReadOnlyList<CodecSeries> series)
        {
            var key = new byte[32];
            new Random(1).NextBytes(key);
            var hmac = new HostHmacSha256(1, key);
            var figures = new List<CodecSeriesFigures>();
            long encoded = 0, decoded = 0;
            double encodeSeconds = 0, decodeSeconds = 0;
            var context = new BatchContext(BenchDevice, 0, -1);
            foreach (var s in series)
            {
                // Warm-up: the JIT compiles encoder and decoder before anything is timed.
                var (wr, ws) = ReadingsOf(s);
                Pack(hmac, wr, ws, 242, out _, out _, out var warm);
                foreach (var b in warm)
                {
                    BatchDecoder.TryDecode(b, context, out _, out _);
                }
            }

            foreach (var s in series)
            {
                var (readings, seqs) = ReadingsOf(s);

                var sw = Stopwatch.StartNew();
                var at242 = Pack(hmac, readings, seqs, 242, out long blockBits, out long timeBits, out var batches);
                sw.Stop();
                encodeSeconds += sw.Elapsed.TotalSeconds;
                encoded += readings.Length;
                var at53 = Pack(hmac, readings, seqs, 53, out _, out _, out _);

                var decodedBatches = new DecodedBatch?[batches.Count];
                sw.Restart();
                for (int b = 0; b < batches.Count; b++)
                {
                    if (BatchDecoder.TryDecode(batches[b], context, out decodedBatches[b], out var err) != DecodeStatus.Ok)
                    {
                        throw new InvalidOperationException($"{s.Name}: a batch does not decode: {err}");
                    }
                }

                sw.Stop();
                decodeSeconds += sw.Elapsed.TotalSeconds;
                int at = 0;
                foreach (var d in decodedBatches)
                {
                    foreach (var x in d!.Readings)
                    {
                        if (at >= readings.Length || x.Sequence != seqs[at] || !Same(x.Reading, readings[at]))
                        {
                            throw new InvalidOperationException($"{s.Name}: reading {at} does not decode to what was encoded");
                        }

                        at++;
                    }
                }

                if (at != readings.Length)
                {
                    throw new InvalidOperationException($"{s.Name}: {readings.Length - at} readings missing after decoding");
                }

                decoded += at;
                var (entropy, predictor) = CodecBaselines.ResidualEntropy(s.Values);
                double n = readings.Length;
                figures.Add(new CodecSeriesFigures(s.Name, readings.Length, (blockBits + timeBits) / n, timeBits / n, at53 * 8.0 / n, at242 * 8.0 / n,
                    CodecBaselines.GorillaBits(s.TimesMs, s.Values), CodecBaselines.VarintBits(s.Values),
                    CodecBaselines.DeflateBits(s.Values), CodecBaselines.DeflateDeltaBits(s.Values), CodecBaselines.BrotliDeltaBits(s.Values),
                    entropy, predictor));
            }

            return (figures, encoded / Math.Max(encodeSeconds, 1e-9), decoded / Math.Max(decodeSeconds, 1e-9));
        }

        private static bool Same(Reading a, Reading b) =>
            a.Channel == b.Channel && a.TimeMs == b.TimeMs && a.Value == b.Value && a.Status == b.Status;

        private static (Reading[] Readings, uint[] Sequences) ReadingsOf(CodecSeries s)
        {
            var readings = new Reading[s.Values.Length];
            var seqs = new uint[readings.Length];
            for (int i = 0; i < readings.Length; i++)
            {
                readings[i] = new Reading(s.Channel, s.TimesMs[i], s.Values[i], ReadingStatus.Ok);
                seqs[i] = (uint)(i + 1);
            }

            return (readings, seqs);
        }

        /// <summary>Packs a whole series into committed batches of a budget; returns the total bytes.</summary>
        private static long Pack(HostHmacSha256 hmac, Reading[] readings, uint[] seqs, int budget, out long blockBits, out long timeBits, out List<byte[]> batches)
        {
            var enc = new BatchEncoder(hmac, BenchDevice, 1, budget);
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
            var cmd = new Command("codec", "batch codec vs Gorilla, delta-varint, Deflate and Brotli (raw and on deltas) and residual entropy; one wake's bytes, in bits per reading, on real series");
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
                var wake = CodecBenchmark.SingleWake();
                if (pr.GetValue(json))
                {
                    var report = new FigureReport()
                        .Add("single_wake_bytes", wake.CompactBytes)
                        .Add("single_wake_bytes_full", wake.FullBytes)
                        .Add("single_wake_hex", wake.CompactHex)
                        .Add("series", figures.Select(f => new Dictionary<string, object>
                        {
                            ["name"] = f.Name, ["readings"] = f.Readings, ["codec_bits"] = Math.Round(f.CodecBits, 3),
                            ["codec_time_bits"] = Math.Round(f.CodecTimeBits, 3),
                            ["codec_total_bits_53"] = Math.Round(f.CodecTotalBits53, 3), ["codec_total_bits_242"] = Math.Round(f.CodecTotalBits242, 3),
                            ["gorilla_bits"] = Math.Round(f.GorillaBits, 3), ["varint_bits"] = Math.Round(f.VarintBits, 3),
                            ["deflate_bits"] = Math.Round(f.DeflateBits, 3), ["deflate_delta_bits"] = Math.Round(f.DeflateDeltaBits, 3),
                            ["brotli_delta_bits"] = Math.Round(f.BrotliDeltaBits, 3), ["entropy_bits"] = Math.Round(f.EntropyBits, 3),
                        }).ToList())
                        .Add("encode_readings_per_s", Math.Round(enc))
                        .Add("decode_readings_per_s", Math.Round(dec));
                    report.Write(Console.Out, true);
                    return 0;
                }

                Console.WriteLine($"{"series",-58} {"n",6} {"codec",6} {"time",5} {"tot53",6} {"tot242",6} {"gorilla",7} {"varint",6} {"deflate",7} {"defl-d",6} {"brot-d",6} {"H0",6} pred");
                foreach (var f in figures)
                {
                    Console.WriteLine($"{f.Name,-58} {f.Readings,6} {f.CodecBits,6:F3} {f.CodecTimeBits,5:F2} {f.CodecTotalBits53,6:F2} {f.CodecTotalBits242,6:F2} {f.GorillaBits,7:F2} {f.VarintBits,6:F2} {f.DeflateBits,7:F2} {f.DeflateDeltaBits,6:F2} {f.BrotliDeltaBits,6:F2} {f.EntropyBits,6:F3} {f.EntropyPredictor}");
                }

                Console.WriteLine($"bits per reading; codec = channel blocks and time coding at {CodecBenchmark.BlockBudget} B (time = its time part: exceptions and time block); tot53/tot242 = whole batches with headers and 64-bit tags; defl-d/brot-d = Deflate/Brotli of the delta-varint stream");
                Console.WriteLine($"single_wake_bytes      {wake.CompactBytes} (full form {wake.FullBytes}): {wake.CompactHex}");
                Console.WriteLine($"encode_readings_per_s  {enc:F0}");
                Console.WriteLine($"decode_readings_per_s  {dec:F0}");
                return 0;
            });
            return cmd;
        }
    }
}
