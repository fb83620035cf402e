using System.Collections.Generic;
using System.CommandLine;
using Gateway.Core.Uplink;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway lora datarates: the AS923 data rates with their dwell-limited payloads, airtime and hourly capacity.</summary>
    public sealed class LoraDataRatesCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "lora";

        /// <inheritdoc />
        public Command Create()
        {
            var margin = new Option<int>("--margin") { Description = "safety margin on the 360 s/h budget, percent", DefaultValueFactory = _ => 10 };
            var json = CommonOptions.Json();
            var cmd = new Command("datarates", "AS923 data rates: SF, bandwidth, dwell-limited payload, frame airtime, frames per hour within the budget");
            cmd.Options.Add(margin);
            cmd.Options.Add(json);
            cmd.SetAction(pr =>
            {
                long hourly = new DwellTimeSettings { SafetyMarginPercent = pr.GetValue(margin) }.EffectiveHourlyLimitUs;
                var rows = new List<Dictionary<string, object>>();
                var report = new FigureReport();
                for (int dr = 0; dr <= As923.MaxDataRate; dr++)
                {
                    int payload = As923.MaxApplicationPayload(dr, uplinkDwellLimit: true);
                    long us = As923.UplinkMicroseconds(dr, payload);
                    var row = new Dictionary<string, object>
                    {
                        ["dr"] = dr,
                        ["sf"] = As923.SpreadingFactor(dr),
                        ["bw_khz"] = As923.BandwidthHz(dr) / 1000,
                        ["max_payload_b"] = payload,
                        ["airtime_ms"] = us / 1000.0,
                        ["frames_per_hour"] = payload == 0 ? 0 : hourly / us,
                        ["payload_bytes_per_hour"] = payload == 0 ? 0 : hourly / us * payload,
                    };
                    rows.Add(row);
                    report.Add($"DR{dr}", $"SF{row["sf"]}/{row["bw_khz"]} kHz  max {payload,3} B  {us / 1000.0,8:F3} ms  {row["frames_per_hour"],5} frames/h  {row["payload_bytes_per_hour"],7} B/h");
                }

                if (pr.GetValue(json))
                {
                    new FigureReport().Add("hourly_budget_s", hourly / 1e6).Add("data_rates", rows).Write(pr.InvocationConfiguration.Output, true);
                }
                else
                {
                    report.Add("hourly_budget_s", hourly / 1e6).Write(pr.InvocationConfiguration.Output, false);
                }

                return 0;
            });
            return cmd;
        }
    }
}
