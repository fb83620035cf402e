using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Tests.Simulation;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Broker
{
    /// <summary>
    /// <c>./gateway cloud run</c>, the process a town's operator starts, against the broker shipped in tools/broker as the
    /// operator's guide sets it up: the receivers' listener (TLS, client certificate required, the receiver account's
    /// password from a file), and a gateway on the gateways' listener (TLS, its own account). The receiver stores the
    /// gateway's batch and the gateway reads the acknowledgement on its own downlink topic; a receiver that does not
    /// present the right credentials is refused with one line.
    /// </summary>
    public sealed class ShippedBrokerReceiverTests : IDisposable
    {
        private const uint DeviceId = 41;
        private static readonly byte[] Key = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();
        private readonly FieldBroker _broker = new();

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void The_receiver_process_on_the_receivers_TLS_listener_stores_a_TLS_gateways_batch_and_acknowledges_it_on_the_gateways_own_topic()
        {
            var gatewayPassword = _broker.Account("add-gateway", DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _broker.Broker.Reload();
            var keys = Path.Combine(_broker.Dir, "keys.json");
            new KeyRing().Add(DeviceId, 1, Key).Save(keys);
            var db = Path.Combine(_broker.Dir, "rx.db");

            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = _broker.Gateway(DeviceId, gatewayPassword, start: false);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Subscribe($"gw/{DeviceId}/ack");
            gateway.Start(_broker.Broker.Host, _broker.GatewayPort);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)), "gateway connected over TLS: " + _broker.Log());

            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), DeviceId, 1, 1024);
            var readings = Enumerable.Range(0, 12).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (i * 600_000L), 900 + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(1, 12).Select(i => (uint)i).ToArray();
            var buf = new byte[1024];
            var len = encoder.Encode(readings, seqs, 0, readings.Length, 1024, 16, buf, 0);
            encoder.Commit();
            var batch = buf.AsSpan(0, len).ToArray();

            using (var rx = Start(db, keys, _broker.ReceiverCertFile, _broker.ReceiverKeyFile, _broker.CaFile))
            {
                Assert.Contains("\"tls\":true", rx.ReadyLine, StringComparison.Ordinal);
                for (var attempt = 0; attempt < 20 && acks.IsEmpty; attempt++)
                {
                    Assert.True(gateway.Publish($"gw/{DeviceId}/up", batch, 1, false, TimeSpan.FromSeconds(5)), "gateway publish acknowledged by the broker");
                    for (var i = 0; i < 20 && acks.IsEmpty; i++)
                    {
                        Thread.Sleep(50);
                    }
                }

                Assert.False(acks.IsEmpty, "the gateway got its acknowledgement; broker log: " + _broker.Log());
                Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
            }

            using var store = new SqliteReceiverStore(db);
            Assert.Equal(12, store.CountReadings(DeviceId));
        }

        [Fact]
        public void A_receiver_without_its_client_certificate_or_with_an_unknown_authority_is_refused_with_one_line()
        {
            var keys = Path.Combine(_broker.Dir, "keys.json");
            new KeyRing().Add(DeviceId, 1, Key).Save(keys);
            var db = "sqlite:" + Path.Combine(_broker.Dir, "rx.db");

            // No client certificate: the receivers' listener requires one.
            var (code, stderr) = Run(db, keys, null, null, _broker.CaFile);
            Assert.NotEqual(0, code);
            Assert.Contains("could not connect and subscribe", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

            // The broker's certificate checked against an authority it does not chain to.
            (code, stderr) = Run(db, keys, _broker.ReceiverCertFile, _broker.ReceiverKeyFile, _broker.RogueCaFile);
            Assert.NotEqual(0, code);
            Assert.Contains("could not connect and subscribe", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("gateway cloud run:", StringComparison.Ordinal));
        }

        private string PasswordFile()
        {
            var path = Path.Combine(_broker.Dir, "receiver-password");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, _broker.ReceiverPassword + "\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            return path;
        }

        private List<string> Arguments(string dbSpec, string keys, string? cert, string? key, string ca)
        {
            var args = new List<string>
            {
                "cloud", "run", "--broker", $"{_broker.Broker.Host}:{_broker.ReceiverPort}", "--db", dbSpec, "--keys", keys,
                "--client-id", "gateway-cloud-test", "--user", FieldBroker.ReceiverUser, "--password-file", PasswordFile(),
                "--tls-ca", ca, "--stop-on-stdin-close",
            };
            if (cert != null && key != null)
            {
                args.AddRange(new[] { "--tls-cert", cert, "--tls-key", key });
            }

            return args;
        }

        private ReceiverProcess Start(string db, string keys, string cert, string key, string ca)
        {
            var p = new ReceiverProcess(BrokerSimulationTests.CliCommand(), Arguments("sqlite:" + db, keys, cert, key, ca),
                new Dictionary<string, string>(), Path.Combine(_broker.Dir, "receiver.log"));
            p.WaitReady(TimeSpan.FromSeconds(60));
            return p;
        }

        private (int Code, string Stderr) Run(string dbSpec, string keys, string? cert, string? key, string ca)
        {
            var cmd = BrokerSimulationTests.CliCommand();
            var psi = new System.Diagnostics.ProcessStartInfo(cmd[0]) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in cmd.Skip(1).Concat(Arguments(dbSpec, keys, cert, key, ca)))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), "cloud run gave up within a minute");
            p.StandardInput.Close();
            return (p.ExitCode, stderr.Result);
        }
    }
}
