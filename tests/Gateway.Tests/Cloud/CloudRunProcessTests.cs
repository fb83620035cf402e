using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Tests.Simulation;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>
    /// <c>./gateway cloud run</c> as the process the operator runs: its ready line, SIGTERM handled cleanly, and a
    /// restart mid-stream that continues the chain from the database.
    /// </summary>
    public abstract class CloudRunProcessScenario : IDisposable
    {
        protected static readonly byte[] Key = Enumerable.Range(11, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-runp-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker = new(seed: 13);

        /// <summary>The test's folder.</summary>
        protected string Dir => _dir;

        /// <summary>The test's broker.</summary>
        protected MosquittoBroker Broker => _broker;

        protected CloudRunProcessScenario()
        {
            Directory.CreateDirectory(_dir);
            _broker.Start();
        }

        public virtual void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        protected static byte[] Batch(BatchEncoder e, uint first, int n)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 600_000L, 700 + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        protected ReceiverProcess Start(string dbSpec, string keys)
        {
            var p = new ReceiverProcess(BrokerSimulationTests.CliCommand(),
                new[] { "cloud", "run", "--broker", $"{_broker.Host}:{_broker.Port}", "--db", dbSpec, "--keys", keys, "--client-id", "rx-under-test", "--stop-on-stdin-close" },
                new System.Collections.Generic.Dictionary<string, string> { ["GATEWAY_MQTT_USER"] = _broker.Username, ["GATEWAY_MQTT_PASSWORD"] = _broker.Password },
                Path.Combine(_dir, "receiver.log"));
            p.WaitReady(TimeSpan.FromSeconds(60));
            return p;
        }

        /// <summary>As a gateway does: publish, and again each second, until an acknowledgement arrives.</summary>
        private static void SendUntilAcknowledged(MosquittoClient gateway, ConcurrentQueue<byte[]> acks, byte[] batch) =>
            SendUntilAcknowledged(gateway, acks, "gw/31/up", batch);

        /// <summary>The same on <paramref name="topic"/>.</summary>
        protected static void SendUntilAcknowledged(MosquittoClient gateway, ConcurrentQueue<byte[]> acks, string topic, byte[] batch)
        {
            var before = acks.Count;
            for (var attempt = 0; attempt < 20 && acks.Count == before; attempt++)
            {
                gateway.Publish(topic, batch, 1, false, TimeSpan.FromSeconds(5));
                for (var i = 0; i < 20 && acks.Count == before; i++)
                {
                    Thread.Sleep(50);
                }
            }

            Assert.True(acks.Count > before, "acknowledged");
        }

        /// <summary>The database the receiver process writes (a <c>--db</c> spec), and a way to open it afterwards.</summary>
        protected abstract (string Spec, Func<IReceiverStore> Open) Database(string dir);

        [Fact]
        public void The_receiver_process_says_ready_stops_cleanly_on_SIGTERM_and_continues_the_chain_after_a_restart()
        {
            var (db, open) = Database(_dir);
            var keys = Path.Combine(_dir, "keys.json");
            new KeyRing().Add(31, 1, Key).Save(keys);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys));
            }

            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = new MosquittoClient("gw-31", cleanSession: false);
            gateway.SetCredentials(_broker.Username, _broker.Password);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Subscribe("gw/31/ack");
            gateway.Start(_broker.Host, _broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 31, 1, 1024);
            var batches = Enumerable.Range(0, 4).Select(i => Batch(encoder, 1 + ((uint)i * 12), 12)).ToArray();

            using (var rx = Start(db, keys))
            {
                Assert.Contains("\"chain_states_loaded\":0", rx.ReadyLine, StringComparison.Ordinal);
                SendUntilAcknowledged(gateway, acks, batches[0]);
                SendUntilAcknowledged(gateway, acks, batches[1]);
                Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
                Assert.Contains("\"event\":\"stopped\"", rx.StoppedLine, StringComparison.Ordinal);
            }

            using (var rx = Start(db, keys))
            {
                // The chain state came back from the database: a resend of a batch stored before the restart is a
                // replay (a fresh chain would have taken it as its first batch), and the next batch continues the chain.
                Assert.Contains("\"chain_states_loaded\":1", rx.ReadyLine, StringComparison.Ordinal);
                SendUntilAcknowledged(gateway, acks, batches[0]);
                SendUntilAcknowledged(gateway, acks, batches[2]);
                SendUntilAcknowledged(gateway, acks, batches[3]);
                Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
            }

            using var store = open();
            Assert.Equal(48, store.CountReadings(31));
            Assert.Equal(48, store.AllReadings().Select(r => r.Sequence).Distinct().Count());
            var kinds = store.QueryChainEvents(31).Select(e => e.Kind).ToList();
            Assert.Contains("replayed", kinds);
            Assert.DoesNotContain("dropped", kinds);
            Assert.DoesNotContain("reordered", kinds);
        }
    }

    /// <summary>The receiver process on its default database, an SQLite file.</summary>
    public sealed class CloudRunProcessTests : CloudRunProcessScenario
    {
        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void SIGHUP_reloads_the_key_file_and_a_reloaded_file_that_fails_a_check_leaves_the_keys_in_force()
        {
            var (db, _) = Database(Dir);
            var keys = Path.Combine(Dir, "keys.json");
            new KeyRing().Add(31, 1, Key).Save(keys);
            var key32 = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = new MosquittoClient("gw-32", cleanSession: false);
            gateway.SetCredentials(Broker.Username, Broker.Password);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Subscribe("gw/32/ack");
            gateway.Start(Broker.Host, Broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));
            var encoder = new BatchEncoder(new HostHmacSha256(1, key32), 32, 1, 1024);
            var first = Batch(encoder, 1, 12);
            var second = Batch(encoder, 13, 12);

            using var rx = Start(db, keys);
            Assert.True(gateway.Publish("gw/32/up", first, 1, false, TimeSpan.FromSeconds(5)));
            Thread.Sleep(1000);
            Assert.Empty(acks); // an unknown gateway is not acknowledged

            new KeyRing().Add(31, 1, Key).Add(32, 1, key32).Save(keys);
            Hangup(rx.ProcessId);
            SendUntilAcknowledged(gateway, acks, "gw/32/up", first);

            // A key file made world-readable is refused at reload; the receiver keeps the keys it has and keeps working.
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Hangup(rx.ProcessId);
            Thread.Sleep(500);
            SendUntilAcknowledged(gateway, acks, "gw/32/up", second);
            Assert.Null(rx.ExitCode);
            Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
            var log = File.ReadAllText(Path.Combine(Dir, "receiver.log"));
            Assert.Contains("key file reloaded: 2 keys", log, StringComparison.Ordinal);
            Assert.Contains("key file NOT reloaded", log, StringComparison.Ordinal);
        }

        private static void Hangup(int pid)
        {
            using var kill = System.Diagnostics.Process.Start("kill", new[] { "-HUP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) })!;
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        protected override (string Spec, Func<IReceiverStore> Open) Database(string dir)
        {
            var path = Path.Combine(dir, "rx.db");
            return ("sqlite:" + path, () => new SqliteReceiverStore(path));
        }
    }

    /// <summary>The same receiver process on a real PostgreSQL server (<c>--db postgres:...</c>).</summary>
    [Collection(Gateway.Tests.Support.PostgresCollection.Name)]
    public sealed class CloudRunProcessPostgresTests : CloudRunProcessScenario
    {
        private readonly Gateway.Tests.Support.PostgresServer _server;

        public CloudRunProcessPostgresTests(Gateway.Tests.Support.PostgresServer server) => _server = server;

        protected override (string Spec, Func<IReceiverStore> Open) Database(string dir)
        {
            var connection = _server.CreateDatabase();
            return ("postgres:" + connection, () => ReceiverStoreFactory.Open("postgres:" + connection));
        }
    }
}
