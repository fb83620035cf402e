using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Simulation;
using Gateway.Simulation.Energy;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation.Energy
{
    public sealed class EnergyFiguresTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-energy-" + Guid.NewGuid().ToString("N")[..8]);

        public EnergyFiguresTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private int _alarmsRaised;

        private System.Collections.Generic.Dictionary<string, object?> Run(SimOptions options)
        {
            options.OutDir = _dir;
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            _alarmsRaised = sim.Gateways.Sum(g => g.Alarms.Values.Count(a => Gateway.Core.Node.EventCodes.IsAlarmKind((int)a.Kind)));
            var summary = SimSummary.Compute(sim, 0);
            _out.WriteLine(string.Join(' ', summary.Select(kv => $"{kv.Key}={kv.Value}")));
            return summary.ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        [Fact]
        public void A_quiet_month_over_LoRaWAN_lasts_five_years_on_the_primary_cell()
        {
            var s = Run(new SimOptions { Scenario = "quiet", Days = 30 });
            var perDay = (double)s["energy_mah_per_day"]!;
            Assert.InRange(perDay, 1, 10);
            var parts = (System.Collections.Generic.Dictionary<string, double>)s["energy_mah_per_day_by_component"]!;
            Assert.Equal(perDay, parts.Values.Sum(), 1);
            Assert.True(parts["esp32"] > parts["rak3172"], "the boots dominate a quiet LoRaWAN gateway");
            Assert.Equal(0.0, parts["sim7080g"]);
            Assert.True((double)s["battery_life_years"]! >= 5);
            Assert.Equal(0, (int)s["brownouts"]!);
            // A wake every 5 minutes below the observation-start level, not every minute.
            Assert.InRange((double)s["wakes_per_day"]!, 280, 300);
        }

        [Fact]
        public void A_quiet_month_over_LTE_M_switches_the_modem_off_between_daily_sends()
        {
            var s = Run(new SimOptions { Scenario = "quiet", Days = 30, Transport = "cellular" });
            var perDay = (double)s["energy_mah_per_day"]!;
            Assert.InRange(perDay, 1, 12);
            var parts = (System.Collections.Generic.Dictionary<string, double>)s["energy_mah_per_day_by_component"]!;
            // Registered and idle all day the modem alone would take about 10 mA x 24 h = 240 mAh; switched off between
            // the daily sends it takes its attaches, the publishes and its off current: a small part of the ESP32's boots.
            Assert.InRange(parts["sim7080g"], 0.05, 2);
            Assert.True(parts["sim7080g"] < parts["esp32"] / 4);
            Assert.True((double)s["battery_life_years"]! >= 4.5);
            Assert.Equal(1.0, (double)s["completeness"]!);
            Assert.InRange(Convert.ToInt64(s["modem_power_key_presses"]), 25, 40); // about one power-on a day
            Assert.Equal(0L, Convert.ToInt64(s["modem_power_cycles"]));
        }

        [Fact]
        public void A_boards_measured_boot_and_cycle_times_change_the_ESP32s_charge_by_their_cost()
        {
            // The same day of the quiet scenario, with the assumed figures and with a board's (--boot-ms, --cycle-ms).
            (double Esp32Mah, double Total, int Boots, int Wakes, double SensorOnMs, Dictionary<string, object?> Summary) Day(double? bootMs, double? cycleMs)
            {
                var options = new SimOptions { Scenario = "quiet", Days = 1, BootMs = bootMs, CycleMs = cycleMs, OutDir = _dir };
                Assert.Null(options.Problem());
                using var sim = new Gateway.Simulation.Simulation(options);
                sim.Run();
                var meter = sim.Gateways.Single().Energy!;
                var summary = SimSummary.Compute(sim, 0).ToDictionary(kv => kv.Key, kv => kv.Value);
                return (meter.MahByComponent()["esp32"], meter.TotalMah(), meter.Boots, meter.Wakes, meter.SensorOnMs, summary);
            }

            var assumed = Day(null, null);
            var board = Day(CurrentProfile.Default.EspBootMs + 1000, CurrentProfile.Default.EspCycleMs + 250);
            Assert.Equal(1200.0, (double)assumed.Summary["esp_boot_ms"]!);
            Assert.Equal(150.0, (double)assumed.Summary["esp_cycle_ms"]!);
            Assert.Equal(2200.0, (double)board.Summary["esp_boot_ms"]!);
            Assert.Equal(400.0, (double)board.Summary["esp_cycle_ms"]!);

            // The timings change the charge, not the timeline.
            Assert.Equal(assumed.Boots, board.Boots);
            Assert.Equal(assumed.Wakes, board.Wakes);
            Assert.Equal(assumed.SensorOnMs, board.SensorOnMs);
            Assert.InRange(assumed.Boots, 280, 300);

            // Every boot runs the ESP32 1000 ms longer and every wake 250 ms longer, at its running current (E2).
            var expected = CurrentProfile.Default.EspRunningMa * (1000.0 * assumed.Boots + 250.0 * assumed.Wakes) / 3_600_000;
            _out.WriteLine($"boots {assumed.Boots}, wakes {assumed.Wakes}: esp32 {assumed.Esp32Mah:F4} -> {board.Esp32Mah:F4} mAh, expected +{expected:F4}");
            Assert.Equal(expected, board.Esp32Mah - assumed.Esp32Mah, 9);
            Assert.True(board.Total - assumed.Total >= expected, "the regulator and the radio's sleep run as long too");
            var parts = (Dictionary<string, double>)board.Summary["energy_mah_per_day_by_component"]!;
            var before = (Dictionary<string, double>)assumed.Summary["energy_mah_per_day_by_component"]!;
            Assert.True(parts["esp32"] > before["esp32"] + 1);
        }

        [Fact]
        public void The_winter_on_the_solar_kit_degrades_and_recovers_the_routine_without_a_brownout()
        {
            var s = Run(new SimOptions { Scenario = "winter" });
            Assert.Equal(0, (int)s["brownouts"]!);
            Assert.Equal(1.0, (double)s["completeness"]!);
            Assert.Equal(0L, (long)s["readings_lost_unaccounted"]!);
            Assert.True(_alarmsRaised >= 3, "the heavy snowfalls raise alarms");
            Assert.Equal(_alarmsRaised, (int)s["alarms"]!); // every alarm raised reached the cloud
            Assert.True((int)s["governor_max_step"]! >= 1, "the dark weeks stretch the routine");
            Assert.Equal(0, (int)s["governor_final_step"]!);
            Assert.True((double)s["solar_charge_mah"]! > 0);
        }

        [Fact]
        public void January_sun_in_Asahikawa_is_a_fraction_of_July_and_integrates_to_the_daily_figure()
        {
            var sun = new Insolation();
            var jan = sun.DailyWhPerSquareMetre(15, 1);
            var jul = sun.DailyWhPerSquareMetre(196, 7);
            Assert.InRange(jan, 800, 2500);
            Assert.InRange(jul, 3000, 6500);
            double sum = 0;
            var day = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.FromHours(9));
            for (var m = 0; m < 24 * 60; m++)
            {
                sum += sun.WattsPerSquareMetre(day.AddMinutes(m + 0.5)) / 60;
            }

            Assert.Equal(jan, sum, jan * 0.01);
            Assert.Equal(0, sun.WattsPerSquareMetre(new DateTimeOffset(2027, 1, 15, 23, 0, 0, TimeSpan.FromHours(9))));
        }

        [Fact]
        public void A_cold_cell_gives_less_and_a_frozen_cell_takes_no_charge()
        {
            Assert.Equal(1.0, SolarKit.Derating(25));
            Assert.True(SolarKit.Derating(-30) < SolarKit.Derating(-10));
            var kit = new SolarKit(new Insolation(), cells: 1, panelWatts: 3, startSoc: 0.5) { EnclosureGainKelvin = 0 };
            var noon = new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.FromHours(9)).ToUnixTimeMilliseconds();
            kit.Advance(noon, noon + 6 * 3_600_000, _ => -5);
            Assert.Equal(0, kit.ChargedMah);
            kit.Advance(noon, noon + 6 * 3_600_000, _ => 5);
            Assert.True(kit.ChargedMah > 50);
            Assert.True(kit.UsableMah(-30) < kit.UsableMah(20));
        }
    }
}
