using System;
using System.IO;
using System.Linq;
using Gateway.Core.Node;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>
    /// Alarm latency is measured honestly: the network stamps each delivery with the true time its transmission
    /// ended (LoRaWAN airtime included; a cellular publish half its 300 ms round trip after the modem sent it), so an alarm is never
    /// "received" before it was on the air, and one raised during an outage is late by the outage's remaining time.
    /// </summary>
    public sealed class AlarmLatencyTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-lat-" + Guid.NewGuid().ToString("N")[..8]);

        public AlarmLatencyTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private (Gateway.Simulation.Simulation Sim, (long TimeMs, long ReceivedAtMs)[] Alarms) Run(SimOptions options)
        {
            options.OutDir = _dir;
            var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var alarms = sim.Store.AllReadings()
                .Where(r => r.Channel == (byte)Gateway.Core.Sensing.ChannelId.EventCode && EventCodes.IsAlarmKind(EventCodes.KindOf(r.Value)))
                .Select(r => (r.TimeMs, r.ReceivedAtMs)).ToArray();
            _out.WriteLine($"{options.Transport}: " + string.Join(", ", alarms.Select(a => $"{(a.ReceivedAtMs - a.TimeMs) / 1000.0:0.###} s")));
            return (sim, alarms);
        }

        [Theory]
        [InlineData("slope", "wifi", 1)]
        [InlineData("slope", "wifi", 4)]
        [InlineData("typhoon", "wifi", 2)]
        public void A_lost_alarm_batch_is_sent_again_on_its_own_clock_not_after_the_routine_half_hour(string scenario, string transport, int seed)
        {
            // These runs lost an alarm batch (or its acknowledgement) under 10% loss and waited for the routine
            // 30-minute acknowledgement timeout: p99 1,980 s, 3,780 s and 1,800 s before alarms had their own retry clock.
            var (sim, alarms) = Run(new SimOptions { Scenario = scenario, Transport = transport, Seed = seed, Loss = 0.1, OutageHours = 0 });
            using (sim)
            {
                Assert.NotEmpty(alarms);
                var worst = alarms.Max(a => a.ReceivedAtMs - a.TimeMs);
                Assert.True(worst <= 300_000, $"slowest alarm {worst / 1000.0:0.#} s");
            }
        }

        [Theory]
        [InlineData("lora")]
        [InlineData("cellular")]
        public void Alarms_arrive_after_they_were_on_the_air_and_within_a_minute_on_a_working_link(string transport)
        {
            var (sim, alarms) = Run(new SimOptions { Transport = transport, Days = 6, OutageHours = 0, PowerCuts = 0, Loss = 0 });
            using (sim)
            {
                Assert.True(alarms.Length >= 3, "the flood crosses standby, caution and evacuation decision");

                // The shortest possible frame at the gateway's data rate (DR3) is the least an alarm can take over LoRaWAN;
                // over LTE-M the real SIM7080G driver publishes through the modem emulator, and the batch reaches the
                // cloud half the 300 ms round trip after the modem sent it (the PUBACK takes the other half).
                var leastMs = transport == "lora" ? As923.UplinkMicroseconds(3, 1) / 1000.0 : Gateway.Virtual.Cellular.InProcessMqttSide.DefaultRoundTripMs / 2;
                Assert.All(alarms, a => Assert.InRange(a.ReceivedAtMs - a.TimeMs, leastMs, 60_000));
            }
        }

        [Fact]
        public void An_alarm_raised_during_a_48_hour_outage_is_late_by_the_rest_of_the_outage()
        {
            var (sim, alarms) = Run(new SimOptions { Transport = "lora", Days = 8, OutageHours = 48, OutageStartHours = 120, PowerCuts = 0 });
            using (sim)
            {
                var (start, end) = sim.Outages.Single();
                var during = alarms.Where(a => a.TimeMs >= start && a.TimeMs < end).ToArray();
                Assert.True(during.Length >= 2, "the flood's alarms fall inside the outage");
                foreach (var (t, received) in during)
                {
                    // Not before the link is back, and within 15 minutes of it: the uplink scheduler retries alarms
                    // within two minutes whatever the routine backoff has grown to in two days without a link; the
                    // rest is the wake cadence and the LoRaWAN session check.
                    Assert.InRange(received, end, end + 900_000);
                    Assert.InRange((received - t) / 1000.0, (end - t) / 1000.0, ((end - t) / 1000.0) + 900);
                }
            }
        }

        [Fact]
        public void Over_cellular_an_alarm_raised_during_a_48_hour_outage_arrives_once_the_modem_is_back_within_the_drivers_retry_ceiling()
        {
            var (sim, alarms) = Run(new SimOptions { Transport = "cellular", Days = 8, OutageHours = 48, OutageStartHours = 120, PowerCuts = 0, Loss = 0 });
            using (sim)
            {
                var (start, end) = sim.Outages.Single();
                var during = alarms.Where(a => a.TimeMs >= start && a.TimeMs < end).ToArray();
                Assert.True(during.Length >= 2, "the flood's alarms fall inside the outage");
                Assert.True(sim.Gateways.Single().Modem!.CoverageLosses == 1, "the outage took the modem's coverage away");
                _out.WriteLine("after the outage: " + string.Join(", ", during.Select(a => $"{(a.ReceivedAtMs - end) / 1000.0:0.###} s")));
                foreach (var (t, received) in during)
                {
                    // Not before the network is back. The real driver backs off its bring-up attempts (doubling up to
                    // 30 minutes) while there is no coverage, but with an alarm waiting it tries at least every
                    // AlarmRetryMs (10 minutes); then the attach, the PDP context and the session; then the wake cadence.
                    Assert.InRange(received, end, end + Gateway.Bindings.Sim7080.Sim7080Transport.AlarmRetryMs + 300_000);
                }
            }
        }
    }
}
