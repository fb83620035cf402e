using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gateway.Cloud.Storage;

namespace Gateway.Cloud.Fleet
{
    /// <summary>The fleet page's downloads: the fleet and the alarm list as CSV and JSON, a gateway's readings as CSV.</summary>
    public static class FleetExport
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        /// <summary>One row per gateway (times ISO 8601 UTC; empty where unknown).</summary>
        public static string FleetCsv(FleetView view)
        {
            ArgumentNullException.ThrowIfNull(view);
            var sb = new StringBuilder("device_id,stale,late,last_seen_utc,newest_reading_utc,battery_mv,signal,cadence_s,mode,open_alarms,chain_ok,chain_rejected,chain_conflicts,chain_breaks,log_integrity,readings\n");
            foreach (var g in view.Gateways)
            {
                sb.Append(Inv, $"{g.DeviceId},{Bool(g.Stale)},{Bool(g.Late)},{Iso(g.Activity.LastReceivedAtMs)},{Iso(g.Activity.LastTimeMs)},{g.BatteryMillivolts},{Csv(g.Signal ?? string.Empty)},")
                  .Append(Inv, $"{g.CadenceSeconds},{g.Mode.ToString().ToLowerInvariant()},{Csv(string.Join("; ", g.OpenAlarms.Select(AlarmName)))},{Bool(g.Chain.Ok)},{g.Chain.Rejected},{g.Chain.Conflicts},{g.Chain.Breaks},,{g.Activity.Readings}\n");
            }

            return sb.ToString();
        }

        /// <summary>The fleet as one JSON object.</summary>
        public static string FleetJson(FleetView view)
        {
            ArgumentNullException.ThrowIfNull(view);
            return JsonSerializer.Serialize(new
            {
                as_of = Iso(view.NowMs),
                gateways = view.Gateways.Select(g => new
                {
                    device_id = g.DeviceId,
                    stale = g.Stale,
                    late = g.Late,
                    last_seen = Iso(g.Activity.LastReceivedAtMs),
                    newest_reading = Iso(g.Activity.LastTimeMs),
                    battery_mv = g.BatteryMillivolts,
                    signal = g.Signal,
                    cadence_s = g.CadenceSeconds,
                    mode = g.Mode.ToString().ToLowerInvariant(),
                    open_alarms = g.OpenAlarms.Select(AlarmName),
                    chain = new { ok = g.Chain.Ok, breaks = g.Chain.Breaks, rejected = g.Chain.Rejected, conflicts = g.Chain.Conflicts, replayed = g.Chain.Replayed },
                    log_integrity = (string?)null,
                    readings = g.Activity.Readings,
                    commissioning = g.Commissioning.Select(c => new { time = Iso(c.RecordTimeMs), passed = c.Passed, key_id = c.KeyId, tag = c.TagHex, summary = c.Summary }),
                }),
            });
        }

        /// <summary>Every alarm event, newest first.</summary>
        public static string AlarmsCsv(FleetView view)
        {
            ArgumentNullException.ThrowIfNull(view);
            var sb = new StringBuilder("device_id,sequence,time_utc,received_utc,event,level,number,open\n");
            foreach (var a in view.Alarms)
            {
                sb.Append(Inv, $"{a.DeviceId},{a.Sequence},{Iso(a.TimeMs)},{Iso(a.ReceivedAtMs)},{a.Kind},{a.Level},{a.Number},{Bool(a.Open)}\n");
            }

            return sb.ToString();
        }

        /// <summary>Every alarm event as one JSON object.</summary>
        public static string AlarmsJson(FleetView view)
        {
            ArgumentNullException.ThrowIfNull(view);
            return JsonSerializer.Serialize(new
            {
                as_of = Iso(view.NowMs),
                alarms = view.Alarms.Select(a => new
                {
                    device_id = a.DeviceId, sequence = a.Sequence, time = Iso(a.TimeMs), received = Iso(a.ReceivedAtMs), @event = a.Kind.ToString(),
                    level = a.Level.ToString(), number = a.Number, open = a.Open,
                }),
            });
        }

        /// <summary>Writes a gateway's readings (all channels, events and gap records included) as CSV.</summary>
        public static void ReadingsCsv(IReceiverStore store, uint deviceId, TextWriter w)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(w);
            w.Write("device_id,sequence,channel,time_utc,value,status,received_utc,transport\n");
            foreach (var r in store.QueryReadings(deviceId, long.MinValue / 2, long.MaxValue / 2))
            {
                w.Write(string.Create(Inv, $"{r.DeviceId},{r.Sequence},{r.Channel},{Iso(r.TimeMs)},{r.Value},{r.Status},{Iso(r.ReceivedAtMs)},{r.Transport}\n"));
            }
        }

        private static string AlarmName(AlarmEntry a) => a.Kind == Core.Sensing.EventKind.AlarmRaised ? a.Level.ToString() : a.Kind.ToString();

        private static string Bool(bool b) => b ? "true" : "false";

        private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Inv);

        private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
