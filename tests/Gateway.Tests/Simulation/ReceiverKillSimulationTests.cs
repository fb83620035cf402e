using System;
using System.IO;
using Gateway.Simulation;
using Gateway.Tests.Support;
using Gateway.Virtual.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>
    /// <c>./gateway sim --broker ... --receivers N --kill-receiver-every S</c>: receiver processes killed with SIGKILL in
    /// mid-traffic and restarted, on a real mosquitto and a real database; completeness 1, nothing stored twice, and no
    /// reading the gateways had to resend because the cloud lost it after the broker had it.
    /// </summary>
    public abstract class ReceiverKillSimulationScenario : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly MosquittoBroker _broker;

        protected ReceiverKillSimulationScenario(ITestOutputHelper output)
        {
            _out = output;
            _broker = new MosquittoBroker(seed: 17);
            _broker.Start();
        }

        protected string Dir { get; } = Path.Combine(Path.GetTempPath(), "gw-ksim-" + Guid.NewGuid().ToString("N")[..8]);

        public virtual void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(Dir))
            {
                Directory.Delete(Dir, true);
            }
        }

        /// <summary>Runs the deployment with <paramref name="receivers"/> receiver processes on <paramref name="db"/> (null: SQLite), one killed every few seconds.</summary>
        protected void Run(int receivers, string? db, bool dr2LoRa = false)
        {
            var options = new SimOptions
            {
                Gateways = dr2LoRa ? 6 : 20, Days = 1, Transport = dr2LoRa ? "lora" : "cellular", DistanceKm = dr2LoRa ? 8 : null, Broker = $"{_broker.Host}:{_broker.Port}", BrokerUser = _broker.Username,
                BrokerPassword = _broker.Password, OutDir = Dir, ReceiverCommand = BrokerSimulationTests.CliCommand(), Receivers = receivers,
                KillReceiverEverySeconds = 3, Database = db, PowerCuts = 2, ForgeryAttempts = 10,
            };
            using var sim = new Gateway.Simulation.Simulation(options);
            Assert.Equal(receivers, sim.ReceiverProcesses.Count);
            sim.Run();
            var summary = SimSummary.Compute(sim, 0);
            double Figure(string k) => Convert.ToDouble(summary.Find(kv => kv.Key == k).Value, System.Globalization.CultureInfo.InvariantCulture);
            _out.WriteLine($"kills={sim.ReceiverKills} resent_after_cloud_loss={sim.ReadingsResentAfterCloudLoss} handled={sim.ReceiverMessages} " +
                           string.Join(' ', summary.ConvertAll(kv => $"{kv.Key}={kv.Value}")));
            Assert.True(sim.ReceiverDrained, "every receiver answered its fence");
            Assert.True(sim.ReceiverKills >= 3, $"{sim.ReceiverKills} kills");
            Assert.Equal(1.0, Figure("completeness"));
            Assert.Equal(0, Figure("readings_lost_unaccounted"));
            Assert.Equal(0, Figure("duplicates_stored"));
            Assert.Equal(0, Figure("forged_or_altered_accepted"));
            if (dr2LoRa)
            {
                // Far gateways at DR2: each of their batches goes as fragments, which the broker spreads over the receivers.
                var byDr = (System.Collections.Generic.Dictionary<string, int>)summary.Find(kv => kv.Key == "gateways_by_dr").Value!;
                Assert.True(byDr.TryGetValue("DR2", out var dr2) && dr2 >= 3, "gateways at DR2: " + string.Join(", ", byDr));
                Assert.True(Figure("fragments_sent") > 100, $"{Figure("fragments_sent")} fragments sent");
                return;
            }

            Assert.Equal(0, sim.ReadingsResentAfterCloudLoss);
            Assert.True(sim.Ledger!.Uplinks >= options.Gateways, $"{sim.Ledger.Uplinks} uplinks");
            Assert.Equal(db is null ? "sqlite" : "postgres", sim.Store.Engine);
        }
    }

    /// <summary>One receiver process on SQLite, killed and restarted every 3 s.</summary>
    public sealed class ReceiverKillSimulationTests : ReceiverKillSimulationScenario
    {
        public ReceiverKillSimulationTests(ITestOutputHelper output)
            : base(output)
        {
        }

        [Fact]
        public void One_receiver_on_SQLite_killed_again_and_again_loses_nothing_the_broker_had()
        {
            Run(1, null);
        }
    }

    /// <summary>Three receiver processes in one shared subscription group on one PostgreSQL database, one killed every 3 s.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class ReceiverKillPostgresSimulationTests : ReceiverKillSimulationScenario
    {
        private readonly PostgresServer _server;

        public ReceiverKillPostgresSimulationTests(PostgresServer server, ITestOutputHelper output)
            : base(output) => _server = server;

        [Fact]
        public void Three_receivers_sharing_the_load_on_PostgreSQL_one_killed_every_few_seconds_lose_nothing_and_store_nothing_twice()
        {
            Run(3, "postgres:" + _server.CreateDatabase());
        }

        [Fact]
        public void Three_receivers_complete_DR2_batches_whose_fragments_the_broker_spread_over_them_while_one_is_killed_every_few_seconds()
        {
            Run(3, "postgres:" + _server.CreateDatabase(), dr2LoRa: true);
        }
    }
}
