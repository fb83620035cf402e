using System;
using System.IO;
using System.Linq;
using Gateway.Cli.Commands;
using Gateway.Cloud.Commissioning;
using Gateway.Simulation.VirtualGateway;
using Xunit;

namespace Gateway.Tests.ConsoleLink
{
    public sealed class VirtualGatewayConsoleTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-console-test-").FullName;
        private readonly VirtualCloud _cloud;

        public VirtualGatewayConsoleTests()
        {
            _cloud = new VirtualCloud(Path.Combine(_dir, "receiver.db"), Path.Combine(_dir, "keys.json"));
        }

        public void Dispose()
        {
            _cloud.Dispose();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void A_new_gateway_has_no_key_and_refuses_to_send_anything()
        {
            var device = new VirtualGatewayDevice(_cloud, seed: 3);
            Assert.Contains(device.Execute("status"), l => l.StartsWith("send: REFUSED, not provisioned: no device id", StringComparison.Ordinal));
            Assert.Equal("ERR cannot commission: not provisioned: no device id (console: provision device-id <n>)", device.Execute("commission")[^1]);

            // A device id and a configuration but still no key: nothing may leave the gateway.
            Assert.Equal("OK", device.Execute("provision device-id 99")[^1]);
            Assert.Equal("OK", device.Execute("config set " + ConsoleWalkthrough.SiteConfig)[^1]);
            Assert.Contains(device.Execute("status"), l => l.StartsWith("send: REFUSED, not provisioned: no device key", StringComparison.Ordinal));
            Assert.Equal("OK", device.Execute("test-mode on")[^1]);
            Assert.StartsWith("ERR inject failed: node not running: not provisioned: no device key", device.Execute("inject level 1000")[^1]);
            Assert.StartsWith("ERR cycle 1 failed: node not running: not provisioned: no device key", device.Execute("cycle 5")[^1]);
            Assert.StartsWith("ERR cannot commission: not provisioned: no device key", device.Execute("commission")[^1]);
            Assert.Null(device.Node);
            Assert.Equal(0, _cloud.BatchesDelivered);
            Assert.Equal(0, _cloud.Store.CountReadings());
            Assert.Empty(_cloud.Commissioning.Query());
        }

        [Fact]
        public void The_walkthrough_provisions_commissions_and_the_record_verifies_at_the_cloud()
        {
            var device = new VirtualGatewayDevice(_cloud, seed: 5);
            var output = new StringWriter();
            var passed = ConsoleWalkthrough.Run(device, 4711, _dir, output);
            Assert.True(passed, output.ToString());
            var rows = _cloud.Commissioning.Query(4711);
            Assert.Single(rows);
            Assert.True(rows[0].Passed);
            Assert.Contains("tape reference: 812 mm", rows[0].Summary);
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(_dir, "keys.json"))[20..], output.ToString()); // no key printed
            var stored = _cloud.Store.QueryReadings(4711, 0, long.MaxValue);
            Assert.NotEmpty(stored);
            Assert.All(stored.Where(r => r.Channel != 30), r => Assert.True((r.Status & 0x0200) != 0, "commissioning readings carry the maintenance flag"));
        }

        [Fact]
        public void Forged_altered_replayed_and_unknown_records_are_rejected_with_a_reason()
        {
            var device = new VirtualGatewayDevice(_cloud, seed: 7);
            Assert.True(ConsoleWalkthrough.Run(device, 4711, _dir, TextWriter.Null));
            var record = device.LastRecord!;
            var rng = new Random(20261122);
            for (var i = 0; i < 50; i++)
            {
                var forged = (byte[])record.Clone();
                var bit = rng.Next(record.Length * 8);
                forged[bit / 8] ^= (byte)(1 << (bit % 8));
                var outcome = _cloud.DeliverCommissioning(forged, "test");
                Assert.False(outcome.Accepted, $"bit {bit}: {outcome.Message}");
                Assert.NotEqual("", outcome.Message);
            }

            Assert.Equal(CommissioningVerdict.Replayed, _cloud.DeliverCommissioning(record, "test").Verdict);
            var tagOnly = (byte[])record.Clone();
            tagOnly[^1] ^= 1;
            Assert.Equal(CommissioningVerdict.BadTag, _cloud.DeliverCommissioning(tagOnly, "test").Verdict);
            var otherDevice = (byte[])record.Clone();
            otherDevice[2] ^= 0x40;
            Assert.Equal(CommissioningVerdict.UnknownDevice, _cloud.DeliverCommissioning(otherDevice, "test").Verdict);
            var otherKey = (byte[])record.Clone();
            otherKey[6] = 9;
            Assert.Equal(CommissioningVerdict.WrongKey, _cloud.DeliverCommissioning(otherKey, "test").Verdict);
            Assert.Equal(CommissioningVerdict.Malformed, _cloud.DeliverCommissioning(record.AsSpan(0, 30).ToArray(), "test").Verdict);
            Assert.Single(_cloud.Commissioning.Query(4711));
            Assert.Contains(_cloud.Store.QueryChainEvents(4711), e => e.Kind == "commissioning_badtag");
        }
    }
}
