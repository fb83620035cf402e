using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;

namespace Gateway.Simulation
{
    /// <summary>
    /// The LoRaWAN figures per data rate and the CayenneLPP comparison (tools/Gateway.Simulation/README.md): what the
    /// gateways' modules sent, grouped by the data rate each gateway was given, and what one CayenneLPP frame per wake
    /// carrying the same readings would have cost at the same data rates.
    /// </summary>
    public static class RadioFigures
    {
        /// <summary>Adds the figures of a LoRaWAN run (nothing for other transports).</summary>
        public static void Add(Simulation sim, Action<string, object?> add)
        {
            var lora = sim.Gateways.Where(g => g.Module != null).ToList();
            if (lora.Count == 0)
            {
                return;
            }

            double ours = lora.Sum(g => g.Module!.TotalAirtimeUs) / 1e6;
            double lpp = lora.Sum(g => CayenneLppAirtimeUs(g.Committed.Values.Select(c => (c.TimeMs, c.Channel)), g.DataRate)) / 1e6;
            add("airtime_s", Math.Round(ours, 3));
            add("cayenne_lpp_airtime_s", Math.Round(lpp, 3));
            add("cayenne_lpp_airtime_s_per_day", Math.Round(lpp / sim.Days / lora.Count, 3));
            add("airtime_vs_cayenne_lpp", lpp > 0 ? Math.Round(ours / lpp, 3) : 0.0);
            var byDr = lora.GroupBy(g => g.DataRate).OrderBy(x => x.Key).ToList();
            add("gateways_by_dr", byDr.ToDictionary(x => "DR" + x.Key, x => x.Count()));
            add("airtime_s_per_day_by_dr", byDr.ToDictionary(x => "DR" + x.Key, x => Math.Round(x.Sum(g => g.Module!.TotalAirtimeUs) / 1e6 / sim.Days / x.Count(), 3)));
            add("cayenne_lpp_airtime_s_per_day_by_dr", byDr.ToDictionary(x => "DR" + x.Key,
                x => Math.Round(x.Sum(g => CayenneLppAirtimeUs(g.Committed.Values.Select(c => (c.TimeMs, c.Channel)), g.DataRate)) / 1e6 / sim.Days / x.Count(), 3)));
            add("max_airtime_s_in_any_hour_by_dr", byDr.ToDictionary(x => "DR" + x.Key, x => Math.Round(x.Max(g => SimSummary.MaxRollingHourUs(g.Module!.Transmissions)) / 1e6, 3)));
            add("fragments_sent", lora.Sum(g => g.Transports.OfType<Rak3172Transport>().Sum(t => t.FragmentsSent)));
            if (sim.Link is null)
            {
                // The in-process receiver's own counts (through a broker the receiver processes reassemble and refuse).
                add("batches_reassembled", sim.LoRaBatches.Reassembled);
                add("lora_uplinks_refused", sim.LoRaUplinksRefused);
            }
            if (lora.Any(g => g.Link != null))
            {
                add("gateway_distance_km_by_dr", byDr.ToDictionary(x => "DR" + x.Key, x => Math.Round(x.Average(g => g.Link?.DistanceKm ?? 0), 2)));
            }
        }

        /// <summary>
        /// Bytes one CayenneLPP value of a channel takes: 1 byte data channel, 1 byte type, then the type's data, with
        /// the LPP type that keeps the channel's meaning: distance (4 B, 1 mm) for levels and depths, barometer (2 B,
        /// 0.1 hPa) for pressures, analog input (2 B, 0.01) for tilts in degrees, temperature (2 B, 0.1 °C), voltage
        /// (2 B, 0.01 V) for battery and supply. Records that are not measurements (events, gap spans) are not counted.
        /// </summary>
        public static int CayenneLppBytes(ChannelId channel) => channel switch
        {
            ChannelId.DistanceMillimeters or ChannelId.WaterLevelMillimeters or ChannelId.SnowDepthMillimeters => 2 + 4,
            ChannelId.PressurePascals or ChannelId.AirPressurePascals => 2 + 2,
            ChannelId.TiltXMillidegrees or ChannelId.TiltYMillidegrees => 2 + 2,
            ChannelId.TemperatureMillicelsius => 2 + 2,
            ChannelId.BatteryMillivolts or ChannelId.SupplyMillivolts => 2 + 2,
            _ => 0,
        };

        /// <summary>
        /// Airtime (µs) of CayenneLPP frames for the readings at AS923 <paramref name="dataRate"/>: one frame per wake
        /// (the readings taken at one time), split into as few frames as the data rate's dwell-limited payload allows
        /// when a wake does not fit one (values are never split).
        /// </summary>
        public static long CayenneLppAirtimeUs(IEnumerable<(long TimeMs, ChannelId Channel)> readings, int dataRate)
        {
            int max = As923.MaxApplicationPayload(dataRate, uplinkDwellLimit: true);
            long total = 0;
            foreach (var wake in readings.GroupBy(r => r.TimeMs))
            {
                int frame = 0;
                foreach (var r in wake)
                {
                    int b = CayenneLppBytes(r.Channel);
                    if (b == 0)
                    {
                        continue;
                    }

                    if (frame + b > max)
                    {
                        total += As923.UplinkMicroseconds(dataRate, frame);
                        frame = 0;
                    }

                    frame += b;
                }

                if (frame > 0)
                {
                    total += As923.UplinkMicroseconds(dataRate, frame);
                }
            }

            return total;
        }
    }
}
