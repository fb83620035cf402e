using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Simulation.Report
{
    /// <summary>The report's CSV files: what the cloud stored, with names, units and decoded events.</summary>
    public static partial class ReportWriter
    {
        /// <summary>What one gateway's rows in the database add up to (for the fleet page and its own page).</summary>
        public sealed class GatewayRows
        {
            /// <summary>The gateway.</summary>
            public uint DeviceId { get; init; }

            /// <summary>Measurement rows stored (channels below the event channel).</summary>
            public long Readings { get; set; }

            /// <summary>Event rows stored (channel 30), alarms included.</summary>
            public long Events { get; set; }

            /// <summary>Gap records stored (channel 31).</summary>
            public long Gaps { get; set; }

            /// <summary>The last measurement time stored, Unix ms (0: none).</summary>
            public long LastTimeMs { get; set; }

            /// <summary>Alarms stored: measured at, stored at (Unix ms), in words.</summary>
            public List<(long TimeMs, long ReceivedAtMs, string Text)> Alarms { get; } = new();

            /// <summary>Sequences stored (readings, events and gap records).</summary>
            internal HashSet<uint> Sequences { get; } = new();

            /// <summary>Sequence ranges a gap record or the gap table accounts for.</summary>
            internal List<(uint First, uint Last)> GapRanges { get; } = new();
        }

        /// <summary>Chain breaks ("dropped") and what became of the sequences they missed.</summary>
        public readonly record struct ChainReconciliation(int Breaks, int Recovered, int Accounted, int Open);

        private static SortedDictionary<uint, GatewayRows> WriteReadings(string path, IReceiverStore store)
        {
            var gateways = new SortedDictionary<uint, GatewayRows>();
            using var w = new StreamWriter(path, false, new UTF8Encoding(false));
            w.WriteLine("device_id,sequence,channel,channel_name,unit,time_utc,value,status,event");
            foreach (var r in store.AllReadings())
            {
                if (!gateways.TryGetValue(r.DeviceId, out var g))
                {
                    gateways[r.DeviceId] = g = new GatewayRows { DeviceId = r.DeviceId };
                }

                g.Sequences.Add(r.Sequence);
                var words = string.Empty;
                if (r.Channel == (byte)ChannelId.EventCode)
                {
                    g.Events++;
                    words = RecordNames.Event(r.Value);
                    if (EventCodes.IsAlarmKind(EventCodes.KindOf(r.Value)))
                    {
                        g.Alarms.Add((r.TimeMs, r.ReceivedAtMs, words));
                    }
                }
                else if (r.Channel == (byte)ChannelId.GapSpan)
                {
                    g.Gaps++;
                    g.GapRanges.Add((r.Sequence, r.Sequence + (uint)Math.Max(0, r.Value - 1)));
                    words = string.Create(Inv, $"gap: this sequence and the {r.Value - 1} after it were dropped on purpose (flash full)");
                }
                else
                {
                    g.Readings++;
                    g.LastTimeMs = Math.Max(g.LastTimeMs, r.TimeMs);
                }

                w.WriteLine(string.Create(Inv,
                    $"{r.DeviceId},{r.Sequence},{r.Channel},{RecordNames.Channel(r.Channel)},{Csv(RecordNames.Unit(r.Channel))},{Time(r.TimeMs)},{r.Value},{r.Status},{Csv(words)}"));
            }

            return gateways;
        }

        private static void WriteGaps(string path, IReceiverStore store, SortedDictionary<uint, GatewayRows> gateways)
        {
            using var w = new StreamWriter(path, false, new UTF8Encoding(false));
            w.WriteLine("device_id,first_sequence,last_sequence,reason");
            foreach (var (d, rows) in gateways)
            {
                foreach (var g in store.QueryGaps(d))
                {
                    rows.GapRanges.Add((g.FirstSequence, g.LastSequence));
                    w.WriteLine(string.Create(Inv, $"{g.DeviceId},{g.FirstSequence},{g.LastSequence},{Csv(g.Reason)}"));
                }
            }
        }

        private static ChainReconciliation WriteChainEvents(string path, IReceiverStore store, SortedDictionary<uint, GatewayRows> gateways, Func<uint, uint, bool>? recorded)
        {
            int breaks = 0, recovered = 0, accounted = 0, open = 0;
            using var w = new StreamWriter(path, false, new UTF8Encoding(false));
            w.WriteLine("device_id,received_at_utc,transport,kind,first_sequence,count,detail,missing_first,missing_last,resolution");
            foreach (var e in store.QueryChainEvents())
            {
                string missingFirst = string.Empty, missingLast = string.Empty, resolution;
                if (e.Kind == "dropped")
                {
                    breaks++;
                    var m = MissingRange().Match(e.Detail);
                    if (!m.Success)
                    {
                        recovered++;
                        resolution = "nothing missing: the batch continues right after the sequences already stored; only its link to the previous batch did not match";
                    }
                    else
                    {
                        var first = uint.Parse(m.Groups[1].Value, Inv);
                        var last = uint.Parse(m.Groups[2].Value, Inv);
                        missingFirst = first.ToString(Inv);
                        missingLast = last.ToString(Inv);
                        gateways.TryGetValue(e.DeviceId, out var g);
                        long stored = 0, gapped = 0, unused = 0, size = (long)last - first + 1;
                        for (var s = first; g != null && s <= last && s >= first; s++)
                        {
                            if (g.Sequences.Contains(s))
                            {
                                stored++;
                            }
                            else if (g.GapRanges.Any(x => s >= x.First && s <= x.Last))
                            {
                                gapped++;
                            }
                            else if (recorded != null && !recorded(e.DeviceId, s))
                            {
                                unused++;
                            }

                            if (s == uint.MaxValue)
                            {
                                break;
                            }
                        }

                        var absent = size - stored - gapped - unused;
                        var skipped = unused > 0 ? string.Create(Inv, $"; the other {unused} numbers of the range held no record (the log skips unused sequence numbers after a restart)") : string.Empty;
                        if (recorded == null)
                        {
                            resolution = string.Create(Inv, $"{stored} records of the range stored later, {gapped} in gap records; the log skips unused sequence numbers after a restart, so the rest may never have held a record");
                        }
                        else if (absent == 0 && gapped == 0)
                        {
                            recovered++;
                            resolution = string.Create(Inv, $"recovered: all {stored} records of the missing range were resent by the gateway and stored later{skipped}");
                        }
                        else if (absent == 0)
                        {
                            accounted++;
                            resolution = string.Create(Inv, $"accounted for: {stored} records resent and stored later, {gapped} dropped on purpose and reported in a gap record{skipped}");
                        }
                        else
                        {
                            open++;
                            resolution = string.Create(Inv, $"open: {absent} records the gateway committed are not in the database ({stored} stored later, {gapped} in gap records); see readings_lost_unaccounted");
                        }
                    }
                }
                else
                {
                    resolution = e.Kind switch
                    {
                        "accepted" => "stored",
                        "reordered" => "stored: arrived after later batches (a resend that fills an earlier break)",
                        "replayed" => "not stored again: a copy of batches already stored (a resend whose acknowledgement was lost)",
                        "conflict" => "kept aside: same sequence, other content",
                        _ => "refused: nothing stored",
                    };
                }

                w.WriteLine(string.Create(Inv,
                    $"{e.DeviceId},{Time(e.ReceivedAtMs)},{e.Transport},{e.Kind},{e.FirstSequence},{e.Count},{Csv(e.Detail)},{missingFirst},{missingLast},{Csv(resolution)}"));
            }

            return new ChainReconciliation(breaks, recovered, accounted, open);
        }

        /// <summary>The missing range in the verifier's "chain broken: sequences A..B are missing" detail.</summary>
        [GeneratedRegex(@"sequences (\d+)\.\.(\d+) are missing")]
        private static partial Regex MissingRange();

        private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Inv);

        private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
