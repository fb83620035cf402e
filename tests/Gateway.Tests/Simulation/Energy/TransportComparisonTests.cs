using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Simulation;
using Gateway.Simulation.Energy;
using Xunit;

namespace Gateway.Tests.Simulation.Energy
{
    public sealed class TransportComparisonTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-compare-" + Guid.NewGuid().ToString("N")[..8]);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private List<KeyValuePair<string, object?>> Run(SimOptions options)
        {
            options.OutDir = Path.Combine(_dir, options.Transport);
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            return SimSummary.Compute(sim, 0);
        }

        private static object? Get(IEnumerable<KeyValuePair<string, object?>> figures, string key) => figures.Single(kv => kv.Key == key).Value;

        [Fact]
        public void The_quiet_month_prints_LTE_M_beside_LoRaWAN_from_a_real_run_on_the_other_radio()
        {
            var options = new SimOptions { Scenario = "quiet", Days = 3 };
            Assert.True(options.ComparesTransports(SimScenarios.Get("quiet")));
            var main = Run(options);
            var added = new List<KeyValuePair<string, object?>>();
            TransportComparison.Add(options, main, (k, v) => added.Add(new(k, v)));

            var energy = (Dictionary<string, double>)Get(added, "energy_mah_per_day_by_transport")!;
            Assert.Equal(new[] { "lorawan", "lte_m" }, energy.Keys.ToArray());
            Assert.Equal(Convert.ToDouble(Get(main, "energy_mah_per_day")), energy["lorawan"]);

            // The twin is the same deployment on the cellular driver: the figure a cellular run of its own gives.
            var cellular = Run(new SimOptions { Scenario = "quiet", Days = 3, Transport = "cellular" });
            Assert.Equal(Convert.ToDouble(Get(cellular, "energy_mah_per_day")), energy["lte_m"]);
            Assert.NotEqual(energy["lorawan"], energy["lte_m"]);

            var life = (Dictionary<string, double>)Get(added, "battery_life_years_by_transport")!;
            Assert.Equal(Convert.ToDouble(Get(main, "battery_life_years")), life["lorawan"]);
            Assert.Equal(Convert.ToDouble(Get(cellular, "battery_life_years")), life["lte_m"]);
            Assert.Equal("cellular", Get(added, "compared_transport"));
            Assert.Equal(1.0, Convert.ToDouble(Get(added, "compared_completeness")));
            Assert.Equal(0L, Convert.ToInt64(Get(added, "compared_readings_lost_unaccounted")));
            Assert.Equal("lora", options.Transport); // the main run's options are left as they were
        }

        [Fact]
        public void Only_the_quiet_month_compares_unless_asked_and_never_through_a_broker_or_over_wifi()
        {
            Assert.False(new SimOptions().ComparesTransports(SimScenarios.Get("typhoon")));
            Assert.True(new SimOptions { CompareTransports = true }.ComparesTransports(SimScenarios.Get("typhoon")));
            Assert.False(new SimOptions { CompareTransports = false }.ComparesTransports(SimScenarios.Get("quiet")));
            Assert.False(new SimOptions { Broker = "127.0.0.1:1883" }.ComparesTransports(SimScenarios.Get("quiet")));
            Assert.False(new SimOptions { Transport = "wifi" }.ComparesTransports(SimScenarios.Get("quiet")));

            Assert.Contains("not wifi", new SimOptions { Transport = "wifi", CompareTransports = true }.Problem(availableMb: 1e6));
            Assert.Contains("--broker", new SimOptions { Broker = "127.0.0.1:1883", Transport = "cellular", CompareTransports = true }.Problem(availableMb: 1e6));
            Assert.Throws<ArgumentException>(() => TransportComparison.Add(new SimOptions { Transport = "wifi" }, new List<KeyValuePair<string, object?>>(), (_, _) => { }));
        }
    }
}
