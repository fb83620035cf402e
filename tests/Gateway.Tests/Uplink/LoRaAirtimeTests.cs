using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.CommandLine;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class LoRaAirtimeTests
    {
        /// <summary>The published check values, read from the shared LoRa README's table (not copied).</summary>
        public static TheoryData<int, int, int, int, string> PublishedValues()
        {
            var data = new TheoryData<int, int, int, int, string>();
            var readme = File.ReadAllText(Path.Combine(RepoPaths.Shared, "lora", "README.md"));
            var row = new Regex(@"^\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*$", RegexOptions.Multiline);
            foreach (Match m in row.Matches(readme))
            {
                data.Add(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value),
                    int.Parse(m.Groups[4].Value), m.Groups[5].Value);
            }

            Assert.True(data.Count >= 5, "the README's check table was not found");
            return data;
        }

        private static long Microseconds(string ms) =>
            (long)decimal.Round(decimal.Parse(ms, CultureInfo.InvariantCulture) * 1000m);

        [Theory]
        [MemberData(nameof(PublishedValues))]
        public void Calculator_matches_every_published_value_to_the_microsecond(int sf, int bwKhz, int phy, int preamble, string ms)
        {
            long us = LoRaAirtime.TimeOnAirMicroseconds(sf, bwKhz * 1000, phy, preamble, 1, true, true, LoRaAirtime.LowDataRateAuto);
            Assert.Equal(Microseconds(ms), us);
        }

        [Theory]
        [MemberData(nameof(PublishedValues))]
        public void Cli_airtime_json_matches_every_published_value_to_the_microsecond(int sf, int bwKhz, int phy, int preamble, string ms)
        {
            var output = new StringWriter();
            var args = new[] { "lora", "airtime", "--sf", sf.ToString(CultureInfo.InvariantCulture), "--bw", bwKhz.ToString(CultureInfo.InvariantCulture),
                "--payload", phy.ToString(CultureInfo.InvariantCulture), "--preamble", preamble.ToString(CultureInfo.InvariantCulture),
                "--cr", "4/5", "--explicit-header", "--json" };
            int rc = Gateway.Cli.Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
            Assert.Equal(0, rc);
            using var doc = JsonDocument.Parse(output.ToString());
            decimal reported = doc.RootElement.GetProperty("time_on_air_ms").GetDecimal();
            Assert.Equal(Microseconds(ms), (long)decimal.Round(reported * 1000m));
        }

        [Fact]
        public void Dwell_limited_payloads_are_the_largest_frames_within_400_ms()
        {
            for (int dr = 2; dr <= 5; dr++)
            {
                int n = As923.MaxApplicationPayload(dr, true);
                Assert.True(As923.UplinkMicroseconds(dr, n) <= As923.MaxDwellMicroseconds, $"DR{dr} {n} B exceeds 400 ms");
                if (n + 1 + As923.LoRaWanOverheadBytes <= 255 && dr < 5)
                {
                    Assert.True(As923.UplinkMicroseconds(dr, n + 1) > As923.MaxDwellMicroseconds, $"DR{dr} {n + 1} B would still fit");
                }
            }

            Assert.True(As923.UplinkMicroseconds(1, 0) > As923.MaxDwellMicroseconds);
            Assert.Equal(11, As923.MaxApplicationPayload(2, true));
            Assert.Equal(242, As923.MaxApplicationPayload(5, true));
        }

        [Fact]
        public void Low_data_rate_optimisation_switches_on_at_16_ms_symbols()
        {
            // SF11/125 kHz has 16.384 ms symbols: DE on. Forcing DE off must give a shorter (different) frame.
            long auto = LoRaAirtime.TimeOnAirMicroseconds(11, 125000, 40, 8, 1, true, true, LoRaAirtime.LowDataRateAuto);
            long on = LoRaAirtime.TimeOnAirMicroseconds(11, 125000, 40, 8, 1, true, true, LoRaAirtime.LowDataRateOn);
            long off = LoRaAirtime.TimeOnAirMicroseconds(11, 125000, 40, 8, 1, true, true, LoRaAirtime.LowDataRateOff);
            Assert.Equal(on, auto);
            Assert.True(off < on);
            Assert.Equal(-1, LoRaAirtime.TimeOnAirMicroseconds(13, 125000, 10, 8, 1, true, true, 0));
        }
    }
}
