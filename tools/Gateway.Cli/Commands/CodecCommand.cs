using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Core.Sensing;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway codec: encode, decode and verify batches (firmware/Gateway.Core/Codec/README.md).</summary>
    public sealed class CodecCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create() => new("codec", "encode readings into authenticated batches, decode batches, verify batch streams");
    }

    /// <summary>Shared parsing and printing of the codec commands.</summary>
    public static class CodecCli
    {
        /// <summary>Reads hex batches: the arguments, or one a line from a file ("-" is standard input).</summary>
        public static List<byte[]> ReadBatches(string[]? hex, string? file) => ReadCaptured(hex, file).Select(c => c.Batch).ToList();

        /// <summary>
        /// Reads captured batches: <c>HEX</c> or <c>HEX,RECEIVED</c> a line (the arrival time as Unix ms or ISO 8601 UTC,
        /// which a compact version-2 batch needs, §9.3), from the arguments or a file ("-" is standard input). Spaces
        /// inside the hex are ignored; lines starting with '#' are comments.
        /// </summary>
        public static List<(byte[] Batch, long? ReceivedAtMs)> ReadCaptured(string[]? hex, string? file)
        {
            var lines = new List<string>();
            if (hex != null)
            {
                lines.AddRange(hex);
            }

            if (!string.IsNullOrEmpty(file))
            {
                lines.AddRange((file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file)).Split('\n'));
            }

            var batches = new List<(byte[], long?)>();
            int lineNo = 0;
            foreach (var raw in lines)
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                int comma = line.IndexOf(',');
                var hexPart = (comma < 0 ? line : line[..comma]).Replace(" ", "", StringComparison.Ordinal);
                try
                {
                    batches.Add((Convert.FromHexString(hexPart), comma < 0 ? null : ParseTime(line[(comma + 1)..])));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"batch {lineNo}: {e.Message}");
                }
            }

            return batches;
        }

        /// <summary>A time as Unix ms or ISO 8601 (UTC unless it names its offset).</summary>
        public static long ParseTime(string text)
        {
            var t = text.Trim();
            if (long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                return ms;
            }

            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                return when.ToUnixTimeMilliseconds();
            }

            throw new FormatException($"'{t}' is not a time (Unix ms or ISO 8601, e.g. 2026-12-06T08:00:00Z)");
        }

        /// <summary>A key given as hex (at least 16 bytes).</summary>
        public static byte[] ParseKey(string hex)
        {
            var key = Convert.FromHexString(hex.Trim());
            if (key.Length < 16)
            {
                throw new FormatException("a device key has at least 16 bytes (32 hex digits)");
            }

            return key;
        }

        /// <summary>
        /// Reads a CSV of readings: <c>sequence,channel,time,value[,status]</c>; channel as a number or a ChannelId name,
        /// time as Unix ms or ISO 8601 UTC, status as a number (default 0). Lines starting with '#' or a header are skipped.
        /// </summary>
        public static (Reading[] Readings, uint[] Sequences) ReadCsv(string file)
        {
            var readings = new List<Reading>();
            var seqs = new List<uint>();
            int lineNo = 0;
            foreach (var raw in File.ReadLines(file))
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#') || !char.IsDigit(line[0]))
                {
                    continue;
                }

                var f = line.Split(',');
                if (f.Length < 4)
                {
                    throw new FormatException($"{file}:{lineNo}: expected sequence,channel,time,value[,status]");
                }

                uint seq = uint.Parse(f[0].Trim(), CultureInfo.InvariantCulture);
                ChannelId ch = byte.TryParse(f[1].Trim(), out var chNum) ? (ChannelId)chNum : Enum.Parse<ChannelId>(f[1].Trim(), true);
                long time = ParseTime(f[2]);
                int value = int.Parse(f[3].Trim(), CultureInfo.InvariantCulture);
                var status = f.Length > 4 && f[4].Trim().Length > 0 ? (ReadingStatus)ushort.Parse(f[4].Trim(), CultureInfo.InvariantCulture) : ReadingStatus.Ok;
                readings.Add(new Reading(ch, time, value, status));
                seqs.Add(seq);
            }

            return (readings.ToArray(), seqs.ToArray());
        }

        /// <summary>A decoded batch as a JSON-ready object.</summary>
        public static Dictionary<string, object?> ToJson(DecodedBatch b) => new()
        {
            ["version"] = b.Version, ["key_id"] = b.KeyId, ["device_id"] = b.DeviceId, ["boot_counter"] = b.BootCounter,
            ["first_sequence"] = b.FirstSequence, ["last_sequence"] = b.LastSequence, ["link"] = b.Link.ToString("x4"),
            ["base_time"] = Iso(b.BaseTimeMs), ["period_ms"] = b.PeriodMs, ["channels"] = b.Channels.Select(c => c.ToString()).ToList(),
            ["time_block"] = b.TimeBlock, ["range_coded"] = b.RangeCoded, ["exceptions"] = b.ExceptionCount,
            ["tag"] = Convert.ToHexStringLower(b.Tag),
            ["readings"] = b.Readings.Select(r => new Dictionary<string, object>
            {
                ["sequence"] = r.Sequence, ["channel"] = r.Reading.Channel.ToString(), ["time_ms"] = r.Reading.TimeMs,
                ["time"] = Iso(r.Reading.TimeMs), ["value"] = r.Reading.Value, ["status"] = r.Reading.Status.ToString(),
            }).ToList(),
        };

        /// <summary>Prints a decoded batch for people.</summary>
        public static void Print(TextWriter o, DecodedBatch b)
        {
            o.WriteLine($"batch v{b.Version} key {b.KeyId} device {b.DeviceId} boot {b.BootCounter} sequences {b.FirstSequence}..{b.LastSequence} " +
                $"({b.Readings.Count} readings) link {b.Link:x4} base {Iso(b.BaseTimeMs)} period {b.PeriodMs} ms " +
                $"channels {string.Join(' ', b.Channels)} exceptions {b.ExceptionCount}{(b.TimeBlock ? " time-block" : "")}{(b.RangeCoded ? " range-coded" : "")} tag {Convert.ToHexStringLower(b.Tag)}");
            foreach (var r in b.Readings)
            {
                o.WriteLine($"  {r.Sequence,10}  {Iso(r.Reading.TimeMs)}  {r.Reading.Channel,-24} {r.Reading.Value,11}  {r.Reading.Status}");
            }
        }

        private static string Iso(long ms) =>
            ms >= 0 && ms <= 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : ms.ToString(CultureInfo.InvariantCulture);
    }
}
