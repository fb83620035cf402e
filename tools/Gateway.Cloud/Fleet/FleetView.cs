using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Fleet
{
    /// <summary>How a gateway samples and sends now, as the cloud can tell from what it received.</summary>
    public enum CadenceModeSeen
    {
        /// <summary>No cadence event received yet.</summary>
        Unknown,

        /// <summary>Below the observation-start level: readings are held and arrive with the daily alive message.</summary>
        Quiet,

        /// <summary>Readings are sent as they are measured (every 10 or 5 min).</summary>
        Observing,

        /// <summary>Recording and sending every 2 min or faster (rapid rise, a high named level).</summary>
        Rapid,
    }

    /// <summary>One alarm event the gateway sent (raised or cleared), with whether it is still open.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="Sequence">The event record's sequence.</param>
    /// <param name="TimeMs">When the gateway raised or cleared it, Unix ms UTC.</param>
    /// <param name="ReceivedAtMs">When the receiver stored it.</param>
    /// <param name="Kind">AlarmRaised, AlarmCleared, RateOfRise, SnowfallRate, TiltChange, TiltRateHourly, TiltRateDaily, RateCleared.</param>
    /// <param name="Level">The named level of a level alarm, else <see cref="AlarmLevel.None"/>.</param>
    /// <param name="Number">The event's number: the value in cm for level alarms, the rate for rate alarms.</param>
    /// <param name="Open">True for a raised alarm that no later event of the gateway cleared.</param>
    public sealed record AlarmEntry(uint DeviceId, uint Sequence, long TimeMs, long ReceivedAtMs, EventKind Kind, AlarmLevel Level, int Number, bool Open)
    {
        /// <summary>True for a raise (level, rate or tilt), false for a clear.</summary>
        public bool Raised => EventCodes.IsAlarmKind((int)Kind);
    }

    /// <summary>
    /// The verification chain of one gateway as the receiver's audit trail shows it. Every stored reading passed
    /// authentication, so the chain of what is stored is intact unless an authentic resend carried other values than
    /// those stored first (a conflict). Sequence holes are not counted as losses: a gateway's log skips up to 256
    /// numbers after an unclean reboot (firmware/Gateway.Core/Storage/README.md), and what a gateway sent and did not
    /// get acknowledged it sends again.
    /// </summary>
    /// <param name="Rejected">Batches or records claiming this gateway that failed authentication (forged, altered, wrong key): refused, not stored.</param>
    /// <param name="Conflicts">Authentic resends whose values differed from what was stored first.</param>
    /// <param name="Breaks">Authentic batches whose chain link showed an earlier batch missing at the time (it may have arrived later, reordered).</param>
    /// <param name="Replayed">Authentic batches received again (harmless: stored once).</param>
    public readonly record struct ChainIntegrity(long Rejected, long Conflicts, long Breaks, long Replayed)
    {
        /// <summary>True when no stored reading is disputed (forgeries refused do not break the chain).</summary>
        public bool Ok => Conflicts == 0;
    }

    /// <summary>One gateway's row on the fleet page.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="Activity">Readings stored, newest measurement, last seen.</param>
    /// <param name="BatteryMillivolts">The newest battery reading, when the gateway sends one.</param>
    /// <param name="Signal">The link and signal of the newest commissioning record ("lorawan RSSI -97 dBm, SNR margin 6.5 dB"), when one was received.</param>
    /// <param name="CadenceSeconds">The cadence of the newest cadence event, seconds.</param>
    /// <param name="Mode">The cadence mode as the cloud can tell it.</param>
    /// <param name="OpenAlarms">Alarms raised and not cleared, oldest first.</param>
    /// <param name="Chain">Chain integrity.</param>
    /// <param name="Stale">True when the gateway has not been heard from for longer than its alive interval and a grace period.</param>
    /// <param name="Late">True when a gateway that sends as it measures (observing, rapid) is silent for three cadences.</param>
    /// <param name="Commissioning">Its verified commissioning records, oldest first.</param>
    /// <param name="Log">How many of its accepted batches the transparency log holds.</param>
    public sealed record GatewayStatus(uint DeviceId, DeviceActivity Activity, int? BatteryMillivolts, string? Signal, int? CadenceSeconds, CadenceModeSeen Mode,
        IReadOnlyList<AlarmEntry> OpenAlarms, ChainIntegrity Chain, bool Stale, bool Late, IReadOnlyList<CommissioningRow> Commissioning, LogIntegrity Log);

    /// <summary>A gateway's batches in the transparency log against those the receiver accepted (the audit trail).</summary>
    /// <param name="Logged">Leaves of the log holding the gateway's batches.</param>
    /// <param name="Accepted">Batches the receiver accepted from the gateway (accepted, reordered, after a gap, resent, conflicting).</param>
    public readonly record struct LogIntegrity(long Logged, long Accepted)
    {
        /// <summary>True when every accepted batch is a leaf of the log (batches stored before the log existed are not).</summary>
        public bool Ok => Logged == Accepted;
    }

    /// <summary>
    /// What the fleet page shows, read from the receiver's database at one instant: every gateway's status and every
    /// alarm event. Built per request; nothing is cached, so the page is as current as the database.
    /// </summary>
    public sealed class FleetView
    {
        /// <summary>The alive message interval of the gateways (SensingSettings.AliveIntervalMs default: 24 h).</summary>
        public const long AliveIntervalMs = 86_400_000L;

        /// <summary>Grace after a missed alive message before a gateway is flagged stale.</summary>
        public const long StaleGraceMs = 3_600_000L;

        private FleetView(long nowMs, IReadOnlyList<GatewayStatus> gateways, IReadOnlyList<AlarmEntry> alarms)
        {
            NowMs = nowMs;
            Gateways = gateways;
            Alarms = alarms;
        }

        /// <summary>The instant the view was taken (stale flags are relative to it), Unix ms UTC.</summary>
        public long NowMs { get; }

        /// <summary>Every gateway with stored readings, in device order.</summary>
        public IReadOnlyList<GatewayStatus> Gateways { get; }

        /// <summary>Every alarm event (raised and cleared) of every gateway, newest first.</summary>
        public IReadOnlyList<AlarmEntry> Alarms { get; }

        /// <summary>
        /// Reads the view from the store (and the commissioning table, when given) as of <paramref name="nowMs"/>; null
        /// means as of the newest arrival in the database (a replayed or simulated deployment, whose times are not today's).
        /// </summary>
        public static FleetView Build(IReceiverStore store, CommissioningStore? commissioning, long? nowMs)
        {
            ArgumentNullException.ThrowIfNull(store);
            var devices = store.QueryDevices();
            var now = nowMs ?? (devices.Count == 0 ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : devices.Max(d => d.LastReceivedAtMs));
            var battery = store.QueryLatest((byte)ChannelId.BatteryMillivolts).ToDictionary(r => r.DeviceId);
            var events = store.QueryChannel((byte)ChannelId.EventCode).ToLookup(r => r.DeviceId);
            var audit = store.CountChainEvents().ToLookup(c => c.DeviceId);
            var leaves = store.CountLogLeaves();
            var records = (commissioning?.Query() ?? Array.Empty<CommissioningRow>()).ToLookup(r => r.DeviceId);

            var gateways = new List<GatewayStatus>();
            var alarms = new List<AlarmEntry>();
            foreach (var d in devices)
            {
                var deviceAlarms = Alarm(events[d.DeviceId]);
                alarms.AddRange(deviceAlarms);
                int? cadenceSeconds = null;
                foreach (var e in events[d.DeviceId])
                {
                    if (EventCodes.KindOf(e.Value) == (int)EventKind.CadenceChanged)
                    {
                        cadenceSeconds = EventCodes.NumberOf(e.Value); // in time order: the newest wins
                    }
                }

                var mode = Mode(cadenceSeconds, d);
                var silentMs = now - d.LastReceivedAtMs;
                var stale = silentMs > AliveIntervalMs + StaleGraceMs;
                var late = !stale && mode is CadenceModeSeen.Observing or CadenceModeSeen.Rapid && silentMs > 3L * cadenceSeconds!.Value * 1000 + 60_000;
                gateways.Add(new GatewayStatus(d.DeviceId, d, battery.TryGetValue(d.DeviceId, out var b) ? b.Value : null, Signal(records[d.DeviceId].LastOrDefault()),
                    cadenceSeconds, mode, deviceAlarms.Where(a => a.Open).ToList(),
                    Integrity(audit[d.DeviceId]),
                    stale, late, records[d.DeviceId].ToList(),
                    new LogIntegrity(leaves.TryGetValue(d.DeviceId, out var logged) ? logged : 0,
                        audit[d.DeviceId].Where(c => IngestOutcome.AcceptedKinds.Contains(c.Kind)).Sum(c => c.Messages))));
            }

            alarms.Sort((a, b) => b.TimeMs != a.TimeMs ? b.TimeMs.CompareTo(a.TimeMs) : a.DeviceId.CompareTo(b.DeviceId));
            return new FleetView(now, gateways, alarms);
        }

        /// <summary>
        /// The gateway's alarm events in time order with their open state: a level alarm stays open until a clear at
        /// its level or below; a rate alarm until the next rate clear; a tilt change stays open (the firmware sends no
        /// clear for it).
        /// </summary>
        public static IReadOnlyList<AlarmEntry> Alarm(IEnumerable<ReceivedReading> eventRows)
        {
            ArgumentNullException.ThrowIfNull(eventRows);
            var list = new List<AlarmEntry>();
            foreach (var r in eventRows.OrderBy(r => r.TimeMs).ThenBy(r => r.Sequence))
            {
                var kind = (EventKind)EventCodes.KindOf(r.Value);
                var level = (AlarmLevel)EventCodes.LevelOf(r.Value);
                var number = EventCodes.NumberOf(r.Value);
                if (EventCodes.IsAlarmKind((int)kind))
                {
                    list.Add(new AlarmEntry(r.DeviceId, r.Sequence, r.TimeMs, r.ReceivedAtMs, kind, kind == EventKind.AlarmRaised ? level : AlarmLevel.None, number, true));
                }
                else if (kind is EventKind.AlarmCleared or EventKind.RateCleared)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        var a = list[i];
                        var clears = kind == EventKind.AlarmCleared
                            ? a.Kind == EventKind.AlarmRaised && a.Level >= level
                            : a.Kind is EventKind.RateOfRise or EventKind.SnowfallRate or EventKind.TiltRateHourly or EventKind.TiltRateDaily;
                        if (a.Open && clears)
                        {
                            list[i] = a with { Open = false };
                        }
                    }

                    list.Add(new AlarmEntry(r.DeviceId, r.Sequence, r.TimeMs, r.ReceivedAtMs, kind, level, number, false));
                }
            }

            return list;
        }

        /// <summary>
        /// The mode as the cloud can tell it: rapid at a cadence of 2 min or faster; otherwise observing when the newest
        /// readings arrived within two cadences of being measured (sent as measured), quiet when they were held longer
        /// (quiet mode sends only with the daily alive message).
        /// </summary>
        private static CadenceModeSeen Mode(int? cadenceSeconds, DeviceActivity d)
        {
            if (cadenceSeconds is null)
            {
                return CadenceModeSeen.Unknown;
            }

            if (cadenceSeconds.Value <= 120)
            {
                return CadenceModeSeen.Rapid;
            }

            return d.LastReceivedAtMs - d.LastTimeMs <= 2L * cadenceSeconds.Value * 1000 ? CadenceModeSeen.Observing : CadenceModeSeen.Quiet;
        }

        private static ChainIntegrity Integrity(IEnumerable<ChainEventCount> audit)
        {
            long rejected = 0, conflicts = 0, breaks = 0, replayed = 0;
            foreach (var c in audit)
            {
                switch (c.Kind)
                {
                    case "forged_or_altered" or "wrong_key" or "commissioning_badtag" or "commissioning_wrongkey":
                        rejected += c.Messages;
                        break;
                    case "conflict":
                        conflicts += c.Messages;
                        break;
                    case "dropped":
                        breaks += c.Messages;
                        break;
                    case "replayed":
                        replayed += c.Messages;
                        break;
                }
            }

            return new ChainIntegrity(rejected, conflicts, breaks, replayed);
        }

        private static string? Signal(CommissioningRow? row)
        {
            if (row is null)
            {
                return null;
            }

            var bytes = Convert.FromHexString(row.RecordHex);
            var record = new Gateway.Control.Commissioning.CommissioningRecord();
            if (Gateway.Control.Commissioning.CommissioningRecord.TryDecode(bytes, 0, bytes.Length, record).Length != 0)
            {
                return null;
            }

            // The record's own words ("link: lorawan, RSSI -97 dBm, SNR margin 6.5 dB, round trip ...").
            var line = record.Describe()[2];
            var start = line.IndexOf(' ', StringComparison.Ordinal) + 1;
            var end = line.IndexOf(", round trip", StringComparison.Ordinal);
            return end > start ? line[start..end].Replace(",", string.Empty, StringComparison.Ordinal) : line[start..];
        }
    }
}
