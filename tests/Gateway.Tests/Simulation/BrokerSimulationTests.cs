using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Storage;
using Gateway.Simulation;
using Gateway.Virtual.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>
    /// The deployment through a real mosquitto broker into <c>./gateway cloud run</c> running as its own process (the
    /// CLI next to the tests), as the operator runs it; the figures are read from that process's database.
    /// </summary>
    public sealed class BrokerSimulationTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-bsim-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker;

        public BrokerSimulationTests(ITestOutputHelper output)
        {
            _out = output;
            _broker = new MosquittoBroker(seed: 5);
            _broker.Start();
        }

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        /// <summary>The gateway CLI built beside the tests, run with the same dotnet host.</summary>
        public static IReadOnlyList<string> CliCommand()
        {
            var dll = typeof(Gateway.Cli.Program).Assembly.Location;
            var host = Environment.ProcessPath;
            return host != null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? new[] { host, dll } : new[] { "dotnet", dll };
        }

        private SimOptions Options(string transport, int gateways) => new()
        {
            Gateways = gateways, Days = 1, Transport = transport, Broker = $"{_broker.Host}:{_broker.Port}",
            BrokerUser = _broker.Username, BrokerPassword = _broker.Password, OutDir = _dir, ReceiverCommand = CliCommand(),
        };

        private List<KeyValuePair<string, object?>> Summary(Gateway.Simulation.Simulation sim, string what)
        {
            var summary = SimSummary.Compute(sim, 0);
            var line = string.Join(' ', summary.Select(kv => $"{kv.Key}={kv.Value}"));
            _out.WriteLine(line);
            Console.WriteLine(what + ": " + line);
            return summary;
        }

        private static double Figure(List<KeyValuePair<string, object?>> summary, string k) =>
            Convert.ToDouble(summary.First(kv => kv.Key == k).Value, System.Globalization.CultureInfo.InvariantCulture);

        [Fact]
        public void Gateways_through_mosquitto_into_a_separate_receiver_process_are_stored_exactly_once_and_forgeries_are_refused()
        {
            var options = Options("cellular", 10);
            options.PowerCuts = 2;
            options.OutageHours = 3;
            options.ForgeryAttempts = 30;
            using var sim = new Gateway.Simulation.Simulation(options);
            Assert.NotNull(sim.ReceiverProcess);
            Assert.True(sim.ReceiverProcess!.IsReady);
            Assert.Null(sim.Receiver); // nothing of the receiver runs inside the simulator
            Assert.Throws<InvalidOperationException>(() => sim.Store); // the database is the receiver process's until it stops
            sim.Run();
            Assert.True(sim.ReceiverDrained, "the receiver reported every published message handled");
            Assert.Equal(0, sim.ReceiverProcess.ExitCode);
            Assert.Contains("\"event\":\"stopped\"", sim.ReceiverStopped, StringComparison.Ordinal);
            Assert.True(sim.ReceiverMessages >= sim.MessagesForReceiver);

            // The gateways published through the real SIM7080G driver and the modem emulator's own MQTT client, and
            // the receiver's acknowledgements came back to it as +SMSUB URCs and moved every log's acknowledgement mark.
            Assert.All(sim.Gateways, g => Assert.True(g.Modem!.Publishes > 0 && g.Modem.MqttSessions > 0, $"gateway {g.DeviceId} published through its modem"));
            Assert.All(sim.Gateways, g => Assert.True(g.Modem!.UrcsQueued > 0 && g.Node!.AcknowledgementsApplied > 0, $"gateway {g.DeviceId} took acknowledgements from its modem"));

            var summary = Summary(sim, "broker sim (receiver process)");
            Assert.Equal(1.0, Figure(summary, "completeness"));
            Assert.Equal(0, Figure(summary, "duplicates_stored"));
            Assert.Equal(0, Figure(summary, "forged_or_altered_accepted"));
            var events = sim.Store.QueryChainEvents();
            var junk = events.Where(e => e.Kind is "forged_or_altered" or "wrong_key").ToList();
            Assert.True(junk.Sum(e => e.Messages) == 30, string.Join("\n", junk.Select(e => $"{e.DeviceId} {e.ReceivedAtMs} {e.Kind} {e.Messages} {e.Detail}"))); // junk is counted per topic and minute
            Assert.All(events.Where(e => e.Kind == "forged_or_altered"), e => Assert.False(string.IsNullOrEmpty(e.Detail)));
            Assert.Contains("forged_or_altered", File.ReadAllText(Path.Combine(_dir, "receiver.log")), StringComparison.Ordinal);

            // Exactly once, and exactly what the gateways committed, in the database the receiver process wrote.
            using var db = new SqliteReceiverStore(Path.Combine(_dir, "received.db"));
            var rows = db.AllReadings().ToList();
            Assert.Equal(rows.Count, rows.Select(r => (r.DeviceId, r.Sequence)).Distinct().Count());
            foreach (var g in sim.Gateways)
            {
                var mine = rows.Where(r => r.DeviceId == g.DeviceId).ToDictionary(r => r.Sequence);
                foreach (var (seq, c) in g.Committed)
                {
                    Assert.True(mine.TryGetValue(seq, out var r), $"device {g.DeviceId} sequence {seq} stored");
                    Assert.Equal(c.Value, r.Value);
                    Assert.Equal(c.TimeMs, r.TimeMs);
                }

                // Stamped in simulated time (the clock topic), after the reading was taken.
                Assert.All(mine.Values, r => Assert.InRange(r.ReceivedAtMs, r.TimeMs, sim.EndWallMs + (3 * 86_400_000L)));
            }
        }

        [Fact]
        public void LoRaWAN_gateways_through_mosquitto_as_ChirpStack_events_are_stored_once_and_acknowledged_by_downlink_commands()
        {
            var options = Options("lora", 3);
            options.PowerCuts = 2;
            options.OutageHours = 3;
            options.ForgeryAttempts = 5;
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var summary = Summary(sim, "broker sim (LoRaWAN, receiver process)");
            Assert.Equal(1.0, Figure(summary, "completeness"));
            Assert.Equal(0, Figure(summary, "duplicates_stored"));
            Assert.Equal(0, Figure(summary, "forged_or_altered_accepted"));
            Assert.All(sim.Store.AllReadings(), r => Assert.Equal("lora", r.Transport));

            // The acknowledgements came back as ChirpStack downlink commands, went out in receive windows, and moved
            // every gateway's log acknowledgement mark to its end.
            Assert.True(sim.Network.DownlinkCommandsTaken > 0);
            Assert.Equal(0, sim.Network.DownlinkCommandsRefused);
            Assert.True(sim.Link!.NetworkCommandsReceived >= sim.Network.DownlinkCommandsTaken);
            var frames = Figure(summary, "uplink_frames");
            Assert.True(sim.DownlinkDataWaitsTimedOut <= frames / 20, $"{sim.DownlinkDataWaitsTimedOut} of {frames} acknowledgements missed their receive window");
            foreach (var g in sim.Gateways)
            {
                Assert.True(g.Node!.AcknowledgementsApplied > 0, $"gateway {g.DeviceId} applied acknowledgements");
                Assert.False(g.Node.HasUnacknowledged, $"gateway {g.DeviceId} holds nothing unacknowledged at the end");
            }
        }

        [Fact]
        public void The_in_process_receiver_option_still_goes_through_the_broker()
        {
            var options = Options("cellular", 3);
            options.Receiver = "in-process";
            options.ForgeryAttempts = 5;
            using var sim = new Gateway.Simulation.Simulation(options);
            Assert.Null(sim.ReceiverProcess);
            Assert.NotNull(sim.Service);
            sim.Run();
            var summary = Summary(sim, "broker sim (in-process receiver)");
            Assert.Equal(1.0, Figure(summary, "completeness"));
            Assert.Equal(0, Figure(summary, "duplicates_stored"));
            Assert.True(sim.Service!.Messages >= sim.MessagesForReceiver);
        }
    }
}
