using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Bindings.Sim7080;
using Gateway.Cloud.Storage;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Simulation.Report;
using Gateway.Virtual.Cellular;

namespace Gateway.Simulation
{
    /// <summary>
    /// The figures of a run. What the cloud has is read back from the receiver's database; what the gateways took is
    /// their committed records (ground truth); the radio figures come from the virtual module.
    /// </summary>
    public static class SimSummary
    {
        /// <summary>Computes the summary as ordered (name, value) figures.</summary>
        public static List<KeyValuePair<string, object?>> Compute(Simulation sim, double wallSeconds)
        {
            var f = new List<KeyValuePair<string, object?>>();
            void Add(string k, object? v) => f.Add(new(k, v));

            var stored = sim.Store.AllReadings().ToList();
            var byDevice = stored.GroupBy(r => r.DeviceId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Sequence));
            long taken = 0, delivered = 0, lostUnaccounted = 0, thinned = 0, gaps = 0, duplicates = 0, phantoms = 0;
            var alarmLatencies = new List<double>();
            var alarms = 0;
            foreach (var g in sim.Gateways)
            {
                byDevice.TryGetValue(g.DeviceId, out var rows);
                rows ??= new Dictionary<uint, ReceivedReading>();
                var covered = new HashSet<uint>();
                foreach (var r in rows.Values.Where(r => r.Channel == (byte)ChannelId.GapSpan))
                {
                    gaps++;
                    for (uint s = r.Sequence; s < r.Sequence + (uint)r.Value; s++)
                    {
                        covered.Add(s);
                    }
                }

                foreach (var (seq, c) in g.Committed)
                {
                    taken++;
                    if (rows.TryGetValue(seq, out var got))
                    {
                        if (got.TimeMs == c.TimeMs && got.Value == c.Value && got.Channel == (byte)c.Channel)
                        {
                            delivered++;
                        }
                        else
                        {
                            phantoms++; // a sequence stored with other content than the gateway committed under it
                        }
                    }
                    else if (covered.Contains(seq))
                    {
                        thinned++;
                    }
                    else
                    {
                        lostUnaccounted++;
                    }
                }

                // The same measurement stored under two sequences would be a duplicate the (device, sequence) key cannot catch.
                duplicates += rows.Values.Where(r => r.Channel < (byte)ChannelId.EventCode)
                    .GroupBy(r => (r.Channel, r.TimeMs)).Sum(x => x.Count() - 1);

                foreach (var r in rows.Values.Where(r => r.Channel == (byte)ChannelId.EventCode))
                {
                    if (EventCodes.IsAlarmKind(EventCodes.KindOf(r.Value)))
                    {
                        alarms++;
                        alarmLatencies.Add((r.ReceivedAtMs - r.TimeMs) / 1000.0);
                    }
                }
            }

            var readingsOnAir = Math.Max(1, delivered);
            var lora = sim.Gateways.Where(g => g.Module != null).Select(g => g.Module!).ToList();
            Add("scenario", sim.Scenario.Name);
            Add("days", sim.Days);
            Add("gateways", sim.Gateways.Count);
            Add("readings_taken", taken);
            Add("readings_delivered", delivered);
            Add("completeness", taken - thinned == 0 ? 1.0 : Math.Round((double)delivered / (taken - thinned), 6));
            Add("readings_lost_unaccounted", lostUnaccounted);
            Add("duplicates_stored", duplicates + phantoms);
            Add("gaps_reported", gaps);
            Add("readings_thinned", thinned);
            Add("alarms", alarms);
            Add("alarm_latency_p50_s", Percentile(alarmLatencies, 0.50));
            Add("alarm_latency_p99_s", Percentile(alarmLatencies, 0.99));
            Add("bytes_per_reading_on_air", Math.Round(OnAirBytes(sim) / (double)readingsOnAir, 3));
            if (lora.Count > 0)
            {
                var tx = lora.SelectMany(m => m.Transmissions).ToList();
                var totalS = tx.Sum(t => t.airtimeUs) / 1e6;
                Add("airtime_s_per_day", Math.Round(totalS / sim.Days / lora.Count, 3));
                Add("max_airtime_s_in_any_hour", Math.Round(lora.Max(m => MaxRollingHourUs(m.Transmissions)) / 1e6, 3));
                Add("longest_transmission_ms", Math.Round(lora.Max(m => m.LongestTransmissionUs) / 1000.0, 3));
                Add("uplink_frames", lora.Sum(m => m.UplinksSent));
                Add("join_requests", lora.Sum(m => m.JoinRequests));
                RadioFigures.Add(sim, Add);
            }
            else
            {
                Add("airtime_s_per_day", 0.0);
                Add("max_airtime_s_in_any_hour", 0.0);
            }

            var modems = sim.Gateways.Where(g => g.Modem != null).ToList();
            if (modems.Count > 0)
            {
                // Only the real driver over the modem emulator gives these (cellular without --broker).
                var drivers = modems.SelectMany(g => g.Transports.OfType<Sim7080Transport>()).Select(t => t.Driver).ToList();
                var sides = modems.Select(g => g.Modem!.MqttSide).OfType<InProcessMqttSide>().ToList();
                Add("modem_at_commands", modems.Sum(g => g.Modem!.CommandCount));
                Add("modem_attaches", modems.Sum(g => g.Modem!.Attaches));
                Add("modem_pdp_activations", modems.Sum(g => g.Modem!.PdpActivations));
                Add("modem_coverage_losses", modems.Sum(g => g.Modem!.CoverageLosses));
                Add("modem_power_cycles", drivers.Sum(d => d.PowerCycles));
                Add("modem_power_key_presses", modems.Sum(g => g.Modem!.PowerKeyPresses));
                Add("mqtt_sessions", modems.Sum(g => g.Modem!.MqttSessions));
                Add("mqtt_sessions_lost", drivers.Sum(d => d.SessionsLost));
                Add("mqtt_publishes", modems.Sum(g => g.Modem!.Publishes) + sides.Sum(x => x.Broken));
                Add("mqtt_publishes_broken", sides.Sum(x => x.Broken));
                Add("mqtt_publishes_lost", sides.Sum(x => x.Lost));
                Add("mqtt_downlinks_after_reconnect", sides.Sum(x => x.DeliveredLater)
                    + modems.Select(g => g.Modem!.MqttSide).OfType<BrokerLinkMqttSide>().Sum(x => x.DeliveredLater));
                Add("mqtt_downlinks", modems.Sum(g => g.Modem!.UrcsQueued));
                Add("modem_command_timeouts", drivers.Sum(d => d.CommandTimeouts));
            }

            Energy.EnergyFigures.Add(sim, Add);
            Add("flash_bytes_per_reading", Math.Round(sim.Gateways.Sum(g => g.Flash.BytesWritten) / (double)Math.Max(1, taken), 2));
            Add("power_cuts", sim.Gateways.Sum(g => g.PowerCutTimes.Count));
            Add("readings_interrupted_by_power_cuts", sim.Gateways.Sum(g => g.ReadingsInterrupted));
            Add("forgeries_tried", sim.ForgedTried);
            // Forgeries carry sequences from 4,000,000,000 up (no gateway gets there): any such row was accepted.
            Add("forged_or_altered_accepted", sim.ForgedAccepted + stored.Count(r => r.Sequence >= 4_000_000_000u));
            Add("rejected_batches", sim.Store.QueryChainEvents().Where(e => e.Kind is "forged_or_altered" or "wrong_key" or "malformed" or "truncated").Sum(e => e.Messages));
            Add("wall_seconds", Math.Round(wallSeconds, 1));
            return f;
        }

        /// <summary>The timeline picture of the first gateway, from the database and the scenario truth.</summary>
        public static TimelineData Timeline(Simulation sim) => Timeline(sim, 0);

        /// <summary>The pictures of the first gateways, at most <paramref name="max"/> (one page each in the report).</summary>
        public static List<TimelineData> Timelines(Simulation sim, int max = ReportWriter.MaxGatewayPages) =>
            Enumerable.Range(0, Math.Min(max, sim.Gateways.Count)).Select(i => Timeline(sim, i)).ToList();

        /// <summary>Whether a gateway of the run committed a record under a sequence number (the report's chain-break reconciliation).</summary>
        public static Func<uint, uint, bool> Recorded(Simulation sim)
        {
            var byId = sim.Gateways.ToDictionary(g => g.DeviceId);
            return (device, sequence) => byId.TryGetValue(device, out var g) && g.Committed.ContainsKey(sequence);
        }

        /// <summary>How a run's length reads in a title: "1 day", "14 days", "2.4 hours".</summary>
        public static string Duration(double days) => days switch
        {
            < 1 => $"{(days * 24).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} hours",
            1 => "1 day",
            _ => $"{days.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} days",
        };

        /// <summary>The timeline picture of gateway number <paramref name="index"/>, from the database and the scenario truth.</summary>
        public static TimelineData Timeline(Simulation sim, int index)
        {
            var g = sim.Gateways[index];
            var data = new TimelineData
            {
                Title = $"{sim.Scenario.Title} ({Duration(sim.Days)}) — gateway {g.DeviceId}",
                ValueLabel = sim.Scenario.ValueLabel,
                DeviceId = g.DeviceId,
            };
            foreach (var (t, v) in g.Truth.OrderBy(x => x.TimeMs))
            {
                data.Truth.Add(new SeriesPoint(t, v));
            }

            var rows = sim.Store.QueryReadings(g.DeviceId, long.MinValue / 2, long.MaxValue / 2);
            foreach (var r in rows)
            {
                if (r.Channel is (byte)ChannelId.WaterLevelMillimeters or (byte)ChannelId.SnowDepthMillimeters or (byte)ChannelId.TiltXMillidegrees)
                {
                    data.Received.Add(new SeriesPoint(r.TimeMs, r.Value, r.Status != 0));
                }
                else if (r.Channel == (byte)ChannelId.EventCode)
                {
                    var kind = EventCodes.KindOf(r.Value);
                    if (EventCodes.IsAlarmKind(kind))
                    {
                        data.Alarms.Add(new TimelineMarker(r.TimeMs, RecordNames.ShortEvent(r.Value)));
                    }
                    else if (kind == (int)EventKind.CadenceChanged)
                    {
                        data.CadenceSeconds.Add(new SeriesPoint(r.TimeMs, EventCodes.NumberOf(r.Value)));
                    }
                }
            }

            if (data.CadenceSeconds.Count == 0 || data.CadenceSeconds[0].TimeMs > sim.StartWallMs)
            {
                data.CadenceSeconds.Insert(0, new SeriesPoint(sim.StartWallMs, sim.Scenario.Sensing.QuietIntervalMs / 1000.0));
            }

            foreach (var (s, e) in sim.Outages)
            {
                data.Outages.Add(new TimelineSpan(s, e, $"link outage {(e - s) / 3_600_000.0:0} h"));
            }

            data.PowerCuts.AddRange(g.PowerCutTimes);
            var st = sim.Scenario.Sensing;
            void Level(string name, int mm)
            {
                if (mm != Gateway.Core.Sensing.Events.SensingSettings.Disabled && sim.Scenario.Physics.River != null)
                {
                    data.Levels.Add(new LevelLine(name, mm));
                }
            }

            Level("observation start", st.ObservationStartLevelMm);
            Level("standby", st.StandbyLevelMm);
            Level("caution", st.CautionLevelMm);
            Level("evacuation decision", st.EvacuationDecisionLevelMm);
            Level("danger", st.DangerLevelMm);
            return data;
        }

        private static long OnAirBytes(Simulation sim)
        {
            long total = 0;
            foreach (var g in sim.Gateways)
            {
                if (g.Module != null)
                {
                    total += g.Module.PayloadBytesSent;
                }
                else if (g.Modem != null)
                {
                    total += g.Modem.BytesPublished;
                }
                else
                {
                    total += g.Transports.OfType<LoopbackTransport>().Sum(l => l.BytesSent) + g.Transports.OfType<BrokerTransport>().Sum(b => b.BytesSent);
                }
            }

            return total;
        }

        /// <summary>Largest sum of airtime (µs) in any rolling hour of transmissions ordered by start.</summary>
        public static long MaxRollingHourUs(IReadOnlyList<(long wallMs, long airtimeUs)> tx)
        {
            long best = 0, sum = 0;
            var j = 0;
            for (var i = 0; i < tx.Count; i++)
            {
                sum += tx[i].airtimeUs;
                while (tx[i].wallMs - tx[j].wallMs >= 3_600_000)
                {
                    sum -= tx[j].airtimeUs;
                    j++;
                }

                best = Math.Max(best, sum);
            }

            return best;
        }

        private static double Percentile(List<double> values, double p)
        {
            if (values.Count == 0)
            {
                return 0;
            }

            var sorted = values.OrderBy(v => v).ToList();
            var idx = (int)Math.Ceiling(p * sorted.Count) - 1;
            return Math.Round(sorted[Math.Clamp(idx, 0, sorted.Count - 1)], 1);
        }
    }
}
