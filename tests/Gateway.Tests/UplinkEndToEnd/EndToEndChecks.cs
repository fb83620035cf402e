using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Storage;
using Gateway.Core.Sensing;
using Xunit;

namespace Gateway.Tests.UplinkEndToEnd
{
    /// <summary>Checks and figures shared by the end-to-end uplink tests, all read back from the receiver's database.</summary>
    internal static class EndToEndChecks
    {
        /// <summary>
        /// Every committed reading is stored once with the content the gateway committed; nothing else is stored for
        /// the device except its events; returns the device's stored rows ordered by sequence.
        /// </summary>
        public static List<ReceivedReading> AssertCompleteAndUnique(IReceiverStore store, uint deviceId, IReadOnlyDictionary<uint, (long TimeMs, ChannelId Channel, int Value)> committed)
        {
            var rows = store.AllReadings().Where(r => r.DeviceId == deviceId).OrderBy(r => r.Sequence).ToList();
            Assert.Equal(rows.Count, rows.Select(r => r.Sequence).Distinct().Count());
            var bySeq = rows.ToDictionary(r => r.Sequence);
            var missing = committed.Keys.Where(s => !bySeq.ContainsKey(s)).OrderBy(s => s).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {committed.Count} readings never reached the cloud (first {string.Join(",", missing.Take(10))})");
            foreach (var (seq, c) in committed)
            {
                var got = bySeq[seq];
                Assert.True(got.TimeMs == c.TimeMs && got.Value == c.Value && got.Channel == (byte)c.Channel, $"sequence {seq} stored with other content");
            }

            // The same measurement under two sequences would be a duplicate the (device, sequence) key cannot catch.
            var measurements = rows.Where(r => r.Channel < (byte)ChannelId.EventCode).ToList();
            Assert.Equal(measurements.Count, measurements.Select(r => (r.Channel, r.TimeMs)).Distinct().Count());
            return rows;
        }

        /// <summary>
        /// After deduplication the device's records are in order: by sequence, each channel's readings strictly advance
        /// in time, and events never go back in time. (A reading may carry an older time than the event stored just
        /// before it: the spike filter releases a sample a few samples late, while an event is stamped when decided.)
        /// </summary>
        public static void AssertInOrder(List<ReceivedReading> rowsBySequence)
        {
            var events = rowsBySequence.Where(r => r.Channel == (byte)ChannelId.EventCode).ToList();
            for (var i = 1; i < events.Count; i++)
            {
                Assert.True(events[i].TimeMs >= events[i - 1].TimeMs, $"event sequence {events[i].Sequence} is older than event sequence {events[i - 1].Sequence}");
            }

            foreach (var channel in rowsBySequence.Where(r => r.Channel < (byte)ChannelId.EventCode).GroupBy(r => r.Channel))
            {
                var list = channel.ToList();
                for (var i = 1; i < list.Count; i++)
                {
                    Assert.True(list[i].TimeMs > list[i - 1].TimeMs, $"channel {channel.Key}: sequence {list[i].Sequence} at {list[i].TimeMs} does not advance on sequence {list[i - 1].Sequence} at {list[i - 1].TimeMs}");
                }
            }
        }

        /// <summary>Readings whose time is not later than that of an earlier sequence on the same channel: (sequence, time, earlier sequence, its time).</summary>
        public static List<(uint Sequence, long TimeMs, uint EarlierSequence, long EarlierTimeMs)> ReadingInversions(List<ReceivedReading> rowsBySequence)
        {
            var found = new List<(uint, long, uint, long)>();
            foreach (var channel in rowsBySequence.Where(r => r.Channel < (byte)ChannelId.EventCode).GroupBy(r => r.Channel))
            {
                var latest = long.MinValue;
                uint latestSeq = 0;
                foreach (var r in channel)
                {
                    if (r.TimeMs <= latest)
                    {
                        found.Add((r.Sequence, r.TimeMs, latestSeq, latest));
                    }
                    else
                    {
                        latest = r.TimeMs;
                        latestSeq = r.Sequence;
                    }
                }
            }

            return found;
        }

        /// <summary>Percentile (nearest rank) of <paramref name="values"/>.</summary>
        public static double Percentile(IReadOnlyList<double> values, double p)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.OrderBy(v => v).ToList();
            var idx = (int)Math.Ceiling(p * sorted.Count) - 1;
            return sorted[Math.Clamp(idx, 0, sorted.Count - 1)];
        }

        /// <summary>Latency percentiles (received at − time of reading), seconds, "p50/p90/p99".</summary>
        public static (double P50, double P90, double P99) LatencySeconds(IEnumerable<ReceivedReading> rows)
        {
            var l = rows.Select(r => (r.ReceivedAtMs - r.TimeMs) / 1000.0).ToList();
            return (Percentile(l, 0.50), Percentile(l, 0.90), Percentile(l, 0.99));
        }

        /// <summary>Largest sum of airtime (µs) in any rolling hour of transmissions ordered by start.</summary>
        public static long MaxRollingHourUs(IReadOnlyList<(long wallMs, long airtimeUs)> tx) => Gateway.Simulation.SimSummary.MaxRollingHourUs(tx);
    }
}
