using System;
using System.CommandLine;
using Gateway.Core.Uplink;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway lora airtime: time on air of one LoRa frame from the Semtech formula, exact to the microsecond,
    /// plus whether it fits the Japanese 400 ms dwell limit.
    /// </summary>
    public sealed class LoraAirtimeCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "lora";

        /// <inheritdoc />
        public Command Create()
        {
            var sf = new Option<int>("--sf") { Description = "spreading factor, 6..12", DefaultValueFactory = _ => 7 };
            var bw = new Option<double>("--bw") { Description = "bandwidth in kHz (125, 250, 500)", DefaultValueFactory = _ => 125 };
            var payload = new Option<int>("--payload") { Description = "PHY payload in bytes (LoRaWAN: application payload + 13)", Required = true };
            var preamble = new Option<int>("--preamble") { Description = "preamble length in symbols", DefaultValueFactory = _ => 8 };
            var cr = new Option<string>("--cr") { Description = "coding rate: 4/5..4/8 or 1..4", DefaultValueFactory = _ => "4/5" };
            var implicitHeader = new Option<bool>("--implicit-header") { Description = "implicit header (LoRaWAN uses explicit)" };
            var explicitHeader = new Option<bool>("--explicit-header") { Description = "explicit header (the default)" };
            var noCrc = new Option<bool>("--no-crc") { Description = "no payload CRC (LoRaWAN downlinks)" };
            var ldro = new Option<string>("--ldro") { Description = "low data rate optimisation: auto (Tsym >= 16 ms), on, off", DefaultValueFactory = _ => "auto" };
            var json = CommonOptions.Json();

            var cmd = new Command("airtime", "time on air of one LoRa frame (Semtech SX1276 §4.1.1.6), exact to the microsecond");
            foreach (var o in new Option[] { sf, bw, payload, preamble, cr, implicitHeader, explicitHeader, noCrc, ldro, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var output = pr.InvocationConfiguration.Output;
                var error = pr.InvocationConfiguration.Error;
                int codingRate = ParseCodingRate(pr.GetValue(cr) ?? "4/5");
                int lowDataRate = (pr.GetValue(ldro) ?? "auto").ToLowerInvariant() switch
                {
                    "auto" => LoRaAirtime.LowDataRateAuto,
                    "on" or "1" => LoRaAirtime.LowDataRateOn,
                    "off" or "0" => LoRaAirtime.LowDataRateOff,
                    _ => int.MinValue,
                };
                double bwKhz = pr.GetValue(bw);
                int bandwidthHz = (int)Math.Round(bwKhz * 1000.0);
                if (pr.GetValue(implicitHeader) && pr.GetValue(explicitHeader))
                {
                    error.WriteLine("lora airtime: --implicit-header and --explicit-header exclude each other");
                    return 2;
                }

                bool explicitHdr = !pr.GetValue(implicitHeader);
                bool crcOn = !pr.GetValue(noCrc);
                long ns = codingRate < 0 || lowDataRate == int.MinValue
                    ? -1
                    : LoRaAirtime.TimeOnAirNanoseconds(pr.GetValue(sf), bandwidthHz, pr.GetValue(payload), pr.GetValue(preamble),
                        codingRate, explicitHdr, crcOn, lowDataRate);
                if (ns < 0)
                {
                    error.WriteLine("lora airtime: parameter out of range (sf 6..12, bw > 0 kHz, payload 0..255, cr 4/5..4/8, ldro auto|on|off)");
                    return 2;
                }

                long us = (ns + 500) / 1000;
                new FigureReport()
                    .Add("spreading_factor", pr.GetValue(sf))
                    .Add("bandwidth_khz", bwKhz)
                    .Add("phy_payload_bytes", pr.GetValue(payload))
                    .Add("preamble_symbols", pr.GetValue(preamble))
                    .Add("coding_rate", "4/" + (codingRate + 4))
                    .Add("explicit_header", explicitHdr)
                    .Add("crc", crcOn)
                    .Add("time_on_air_us", us)
                    .Add("time_on_air_ms", us / 1000.0)
                    .Add("within_400ms_dwell", us <= As923.MaxDwellMicroseconds)
                    .Write(output, pr.GetValue(json));
                return 0;
            });
            return cmd;
        }

        private static int ParseCodingRate(string text)
        {
            text = text.Trim();
            if (text.StartsWith("4/", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), out int d) && d >= 5 && d <= 8)
            {
                return d - 4;
            }

            return int.TryParse(text, out int c) && c >= 1 && c <= 4 ? c : -1;
        }
    }
}
