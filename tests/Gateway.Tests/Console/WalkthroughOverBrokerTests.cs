using System;
using System.IO;
using Gateway.Cli.Commands;
using Gateway.Simulation.VirtualGateway;
using Gateway.Virtual.Mqtt;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gateway.Tests.ConsoleLink
{
    public sealed class WalkthroughOverBrokerTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-walk-broker-").FullName;

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void The_walkthrough_holds_with_a_real_broker_between_the_gateway_and_the_receiver()
        {
            using var broker = new MosquittoBroker(seed: 21);
            broker.Start();
            var output = new StringWriter();
            bool passed;
            using (var cloud = new VirtualCloud(Path.Combine(_dir, "receiver.db"), Path.Combine(_dir, "keys.json"),
                       new BrokerEndpoint(broker.Host, broker.Port, broker.Username, broker.Password)))
            {
                var device = new VirtualGatewayDevice(cloud, seed: 17);
                passed = ConsoleWalkthrough.Run(device, 4714, _dir, output);
                Assert.True(passed, output.ToString() + "\nreceiver: " + string.Join("\n", cloud.BrokerLog));
                Assert.Contains($"verified by the receiver on {broker.Host}:{broker.Port}", device.LastRecordOutcome!.Message);
                Assert.True(cloud.Store.CountReadings(4714) > 0, "the link test's batch reached the database through the broker");
            }
        }
    }
}
