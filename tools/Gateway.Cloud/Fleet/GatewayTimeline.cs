using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Gateway.Cloud.Charts;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Fleet
{
    /// <summary>
    /// One gateway's timeline from the receiver's database alone, for the report's chart (<see cref="TimelineChart"/>):
    /// its received readings of the main quantity, its alarms and the level each alarm was raised at, its cadence,
    /// the spans without readings (gaps) and the spans the cloud heard nothing from it (outages).
    /// </summary>
    public static class GatewayTimeline
    {
        /// <summary>Cadence assumed before the first cadence event (the quiet interval, 10 min).</summary>
        public const int DefaultCadenceSeconds = 600;

        /// <summary>Delay beyond which a reading taken at a quiet cadence counts as late: the daily alive message, and half a day for its backlog.</summary>
        private const long QuietDelayMs = 36 * 3_600_000L;

        /// <summary>Late readings closer than this belong to one outage.</summary>
        private const long MergeMs = 3 * 3_600_000L;

        /// <summary>Shorter late spans are not drawn (a single late batch is not an outage).</summary>
        private const long MinOutageMs = 3_600_000L;

        /// <summary>The main quantities, in the order one is chosen (the first the gateway sends).</summary>
        private static readonly (ChannelId Channel, string Label)[] Quantities =
        {
            (ChannelId.WaterLevelMillimeters, "water level (mm)"),
            (ChannelId.SnowDepthMillimeters, "snow depth (mm)"),
            (ChannelId.TiltXMillidegrees, "tilt X (millidegrees)"),
            (ChannelId.PressurePascals, "water pressure (Pa)"),
            (ChannelId.DistanceMillimeters, "distance (mm)"),
        };

        /// <summary>
        /// The timeline of <paramref name="deviceId"/> over the <paramref name="days"/> before its newest measurement
        /// (null when it has no readings).
        /// </summary>
        public static TimelineData? Build(IReceiverStore store, uint deviceId, double days, string title)
        {
            ArgumentNullException.ThrowIfNull(store);
            var activity = store.QueryDevices().FirstOrDefault(d => d.DeviceId == deviceId);
            if (activity.Readings == 0)
            {
                return null;
            }

            var to = activity.LastTimeMs + 1;
            var from = Math.Max(activity.FirstTimeMs, to - (long)(days * 86_400_000));
            var rows = store.QueryReadings(deviceId, from, to);
            var channels = new HashSet<byte>(rows.Select(r => r.Channel));
            var (channel, label) = Quantities.FirstOrDefault(q => channels.Contains((byte)q.Channel));
            var data = new TimelineData { Title = title, ValueLabel = label ?? "value" };

            var events = rows.Where(r => r.Channel == (byte)ChannelId.EventCode).OrderBy(r => r.TimeMs).ToList();
            var cadenceBefore = store.QueryChannel((byte)ChannelId.EventCode, deviceId)
                .Where(r => r.TimeMs < from && EventCodes.KindOf(r.Value) == (int)EventKind.CadenceChanged).Select(r => EventCodes.NumberOf(r.Value)).LastOrDefault();
            data.CadenceSeconds.Add(new SeriesPoint(from, cadenceBefore > 0 ? cadenceBefore : DefaultCadenceSeconds));
            var reachedAt = new SortedDictionary<AlarmLevel, int>();
            foreach (var e in events)
            {
                var kind = (EventKind)EventCodes.KindOf(e.Value);
                var level = (AlarmLevel)EventCodes.LevelOf(e.Value);
                if (kind == EventKind.AlarmRaised)
                {
                    data.Alarms.Add(new TimelineMarker(e.TimeMs, level.ToString()));
                    var mm = EventCodes.NumberOf(e.Value) * 10;
                    reachedAt[level] = reachedAt.TryGetValue(level, out var seen) ? Math.Min(seen, mm) : mm;
                }
                else if (EventCodes.IsAlarmKind((int)kind))
                {
                    data.Alarms.Add(new TimelineMarker(e.TimeMs, kind.ToString()));
                }
                else if (kind == EventKind.CadenceChanged)
                {
                    data.CadenceSeconds.Add(new SeriesPoint(e.TimeMs, EventCodes.NumberOf(e.Value)));
                }
            }

            // The cloud does not hold the gateway's configured thresholds: each named level is drawn where the
            // gateway's alarm for it was raised (the value it sent, in cm), which is at or just above the threshold.
            if (channel == ChannelId.WaterLevelMillimeters)
            {
                foreach (var (level, mm) in reachedAt)
                {
                    data.Levels.Add(new LevelLine(ShortName(level) + " ≥ " + (mm / 1000.0).ToString("0.00", CultureInfo.InvariantCulture) + " m", mm));
                }
            }

            var main = rows.Where(r => r.Channel == (byte)channel).OrderBy(r => r.TimeMs).ToList();
            foreach (var r in main)
            {
                data.Received.Add(new SeriesPoint(r.TimeMs, r.Value, r.Status != 0));
            }

            AddGaps(data, main);
            AddOutages(data, rows);
            return data;
        }

        /// <summary>Spans between consecutive readings longer than three cadences in force: nothing was measured or received there.</summary>
        private static void AddGaps(TimelineData data, List<ReceivedReading> main)
        {
            for (var i = 1; i < main.Count; i++)
            {
                var cadenceMs = CadenceAt(data, main[i - 1].TimeMs) * 1000L;
                var span = main[i].TimeMs - main[i - 1].TimeMs;
                if (span > 3 * cadenceMs)
                {
                    data.Gaps.Add(new TimelineSpan(main[i - 1].TimeMs, main[i].TimeMs, "gap " + Hours(span)));
                }
            }
        }

        /// <summary>
        /// Spans of measurement time whose readings reached the cloud late (a link or cloud outage): at a cadence of
        /// 10 min or slower (quiet mode holds readings for the daily alive message) more than 36 h after they were
        /// taken, at faster cadences more than an hour or three cadences (the longer) after; spans under an hour are left out.
        /// </summary>
        private static void AddOutages(TimelineData data, IReadOnlyList<ReceivedReading> rows)
        {
            var spans = new List<(long Start, long End)>();
            foreach (var r in rows.OrderBy(r => r.TimeMs))
            {
                var cadence = CadenceAt(data, r.TimeMs);
                var allowedMs = cadence >= DefaultCadenceSeconds ? QuietDelayMs : Math.Max(3_600_000L, 3L * (long)cadence * 1000);
                if (r.ReceivedAtMs - r.TimeMs <= allowedMs)
                {
                    continue;
                }

                // Late readings less than MergeMs apart are one outage.
                if (spans.Count > 0 && r.TimeMs - spans[^1].End <= MergeMs)
                {
                    spans[^1] = (spans[^1].Start, r.TimeMs);
                }
                else
                {
                    spans.Add((r.TimeMs, r.TimeMs));
                }
            }

            foreach (var (start, end) in spans)
            {
                if (end - start >= MinOutageMs)
                {
                    data.Outages.Add(new TimelineSpan(start, end, "late " + Hours(end - start)));
                }
            }
        }

        private static string ShortName(AlarmLevel level) => level switch
        {
            AlarmLevel.EvacuationDecision => "evacuation",
            _ => level.ToString().ToLowerInvariant(),
        };

        private static double CadenceAt(TimelineData data, long timeMs)
        {
            var c = DefaultCadenceSeconds * 1.0;
            foreach (var p in data.CadenceSeconds)
            {
                if (p.TimeMs > timeMs)
                {
                    break;
                }

                c = p.Value > 0 ? p.Value : c;
            }

            return c;
        }

        private static string Hours(long ms) => (ms / 3_600_000.0).ToString(ms < 36_000_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + " h";
    }
}
