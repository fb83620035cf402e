using System;
using System.IO;
using System.Linq;
using Gateway.Cloud.Storage;
using Gateway.Simulation;
using Gateway.Virtual.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>The deployment through a real mosquitto broker, with the receiver consuming it as in production.</summary>
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

        [Fact]
        public void Gateways_through_a_real_broker_store_every_reading_once_and_forgeries_are_refused_and_logged()
        {
            var options = new SimOptions
            {
                Gateways = 10, Days = 1, Transport = "cellular", Broker = $"{_broker.Host}:{_broker.Port}",
                BrokerUser = _broker.Username, BrokerPassword = _broker.Password, OutDir = _dir, PowerCuts = 2, OutageHours = 3, ForgeryAttempts = 30,
            };
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var summary = SimSummary.Compute(sim, 0);
            var line = string.Join(' ', summary.Select(kv => $"{kv.Key}={kv.Value}"));
            _out.WriteLine(line);
            Console.WriteLine("broker sim: " + line);
            double Figure(string k) => Convert.ToDouble(summary.First(kv => kv.Key == k).Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(1.0, Figure("completeness"));
            Assert.Equal(0, Figure("duplicates_stored"));
            Assert.Equal(0, Figure("forged_or_altered_accepted"));
            var events = sim.Store.QueryChainEvents();
            Assert.Equal(30, events.Count(e => e.Kind is "forged_or_altered" or "wrong_key"));
            Assert.All(events.Where(e => e.Kind == "forged_or_altered"), e => Assert.False(string.IsNullOrEmpty(e.Detail)));
        }
    }
}
