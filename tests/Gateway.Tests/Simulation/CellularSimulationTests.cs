using System;
using System.IO;
using System.Linq;
using Gateway.Bindings.Sim7080;
using Gateway.Simulation;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>
    /// The simulator's cellular path runs the real SIM7080G driver (bindings/Sim7080) over a virtual UART to the modem
    /// emulator, whose MQTT side is the in-process broker and receiver: every figure comes from AT commands the
    /// emulator answered, not from a model of the transport.
    /// </summary>
    public sealed class CellularSimulationTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-simlte-" + Guid.NewGuid().ToString("N")[..8]);

        public CellularSimulationTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private (Gateway.Simulation.Simulation Sim, System.Collections.Generic.Dictionary<string, object?> Summary) Run(SimOptions options)
        {
            options.OutDir = _dir;
            var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var summary = SimSummary.Compute(sim, 0).ToDictionary(kv => kv.Key, kv => kv.Value);
            _out.WriteLine(string.Join(' ', summary.Select(kv => $"{kv.Key}={kv.Value}")));
            return (sim, summary);
        }

        [Fact]
        public void The_default_cellular_run_through_the_real_driver_delivers_every_reading_once_across_power_cuts_and_a_48_hour_outage()
        {
            // ./gateway sim --transport cellular: 14 days typhoon, 10 % loss, a 48 h outage, 20 power cuts.
            var (sim, s) = Run(new SimOptions { Transport = "cellular" });
            using (sim)
            {
                Assert.Equal(1.0, Convert.ToDouble(s["completeness"]));
                Assert.Equal(0L, Convert.ToInt64(s["duplicates_stored"]));
                Assert.Equal(0L, Convert.ToInt64(s["readings_lost_unaccounted"]));
                Assert.Equal(0L, Convert.ToInt64(s["forged_or_altered_accepted"]));
                Assert.Equal(20L, Convert.ToInt64(s["power_cuts"]));

                var g = sim.Gateways.Single();
                var modem = g.Modem!;

                // The driver really ran: the emulator answered its commands, the network registered it, and the run's
                // loss (10 %) broke connections under publishes: the driver saw each lost session, connected again and
                // got the acknowledgements the broker had kept for its persistent session; the batches lost with a
                // broken connection were resent and those that had arrived were not stored twice.
                Assert.True(modem.CommandCount > 0);
                Assert.True(modem.Attaches >= 1);
                var broken = Convert.ToInt64(s["mqtt_publishes_broken"]);
                Assert.True(broken > 0, "the run's loss reaches the real path");
                Assert.True(Convert.ToInt64(s["mqtt_publishes_lost"]) > 0);
                Assert.True(Convert.ToInt64(s["mqtt_downlinks_after_reconnect"]) > 0);
                Assert.True(Convert.ToInt64(s["mqtt_sessions_lost"]) >= broken);

                // Every boot built a new driver (it lives in RAM) over the same modem, which has its own supply and
                // runs on through the ESP32's power cuts: the new driver adopted a running modem, or knew from the
                // durable state that the modem had been switched off for a long sleep and pressed PWRKEY at once. No
                // power cycle, no command left unanswered.
                Assert.Equal(g.Boots, g.Transports.Count);
                Assert.All(g.Transports, t => Assert.IsType<Sim7080Transport>(t));
                Assert.Equal(21, g.Boots);
                var drivers = g.Transports.OfType<Sim7080Transport>().Select(t => t.Driver).ToList();
                Assert.Equal(0, drivers.Sum(d => d.PowerCycles));
                Assert.Equal(0, drivers.Sum(d => d.CommandTimeouts));

                // Quiet spells between the storms switched the modem off (a sleep of 4 minutes or more): every PWRKEY
                // press switched it back on for a send, and each power-on cost an attach.
                Assert.True(modem.PowerKeyPresses > 0, "quiet spells switch the modem off");
                Assert.Equal(modem.PowerKeyPresses, drivers.Sum(d => d.PowerOns));
                Assert.Equal(modem.Attaches, modem.PdpActivations);
                Assert.InRange(modem.Attaches, 1, 1 + modem.PowerKeyPresses + modem.CoverageLosses);

                // A driver after a reboot finds a session it did not open, closes and reopens it.
                Assert.True(modem.MqttSessions > 1 + modem.CoverageLosses, $"sessions {modem.MqttSessions}");

                // The outage took the coverage away once: the live session and context were lost, and the driver
                // registered, activated the context and connected again when the network came back.
                Assert.Equal(1, modem.CoverageLosses);
                Assert.True(g.Transports.OfType<Sim7080Transport>().Sum(t => t.Driver.SessionsLost) >= 1);
            }
        }

        [Fact]
        public void A_hung_modem_is_power_cycled_by_the_driver_and_nothing_is_lost_or_stored_twice()
        {
            var (sim, s) = Run(new SimOptions { Transport = "cellular", Days = 5, PowerCuts = 5, ModemHangs = 3, OutageHours = 0 });
            using (sim)
            {
                Assert.Equal(1.0, Convert.ToDouble(s["completeness"]));
                Assert.Equal(0L, Convert.ToInt64(s["duplicates_stored"]));
                Assert.Equal(3, sim.ModemHangSchedule.Count);

                // Each hang was found by a command without an answer and ended by a PWRKEY power cycle (off, on); the
                // modem rebooted, so the driver configured the radio, attached and connected again.
                var modem = sim.Gateways.Single().Modem!;
                Assert.False(modem.Hung);
                Assert.True(Convert.ToInt64(s["modem_power_cycles"]) >= 3, $"power cycles {s["modem_power_cycles"]}");
                Assert.True(modem.PowerKeyPresses >= 6, $"presses {modem.PowerKeyPresses}");
                Assert.True(modem.Attaches >= 1 + 3, $"attaches {modem.Attaches}");
            }
        }
    }
}
