using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Tests.Simulation;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>
    /// <c>./gateway cloud run --log-key K --checkpoint-dir D</c>, the receiver process as a town runs it with its public
    /// record: a gateway's batch becomes a leaf, and the signed checkpoint that covers it is written to the folder and
    /// published retained on <c>log/ORIGIN/checkpoint</c>, where a party that subscribes later still finds it; it verifies
    /// with the log's public key, and the database audits clean against it.
    /// </summary>
    public sealed class CloudRunLogTests : IDisposable
    {
        private const uint DeviceId = 61;
        private const string Origin = "town.example/river-log";
        private static readonly byte[] Key = Enumerable.Range(70, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-runlog-").FullName;
        private readonly MosquittoBroker _broker = new(seed: 29);

        public CloudRunLogTests() => _broker.Start();

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void The_receiver_signs_a_checkpoint_covering_the_batch_and_publishes_it_to_the_folder_and_retained_on_MQTT()
        {
            var logKey = Path.Combine(_dir, "log.key");
            var verifier = LogKeys.Generate(logKey, Origin, 1).Verifier;
            var keys = Path.Combine(_dir, "keys.json");
            new KeyRing().Add(DeviceId, 1, Key).Save(keys);
            var db = Path.Combine(_dir, "rx.db");
            var folder = Path.Combine(_dir, "checkpoints");

            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = new MosquittoClient("gw-61", cleanSession: false);
            gateway.SetCredentials(_broker.Username, _broker.Password);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Subscribe($"gw/{DeviceId}/ack");
            gateway.Start(_broker.Host, _broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));

            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), DeviceId, 1, 1024);
            var readings = Enumerable.Range(0, 8).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (i * 600_000L), 1_000 + i, ReadingStatus.Ok)).ToArray();
            var buf = new byte[1024];
            var len = encoder.Encode(readings, Enumerable.Range(1, 8).Select(i => (uint)i).ToArray(), 0, readings.Length, 1024, 16, buf, 0);
            encoder.Commit();

            var args = new List<string>
            {
                "cloud", "run", "--broker", $"{_broker.Host}:{_broker.Port}", "--db", "sqlite:" + db, "--keys", keys, "--client-id", "rx-log",
                "--log-key", logKey, "--checkpoint-dir", folder, "--checkpoint-every", "0.02", "--stop-on-stdin-close",
            };
            using (var rx = new ReceiverProcess(BrokerSimulationTests.CliCommand(), args,
                new Dictionary<string, string> { ["GATEWAY_MQTT_USER"] = _broker.Username, ["GATEWAY_MQTT_PASSWORD"] = _broker.Password },
                Path.Combine(_dir, "receiver.log")))
            {
                rx.WaitReady(TimeSpan.FromSeconds(60));
                for (var attempt = 0; attempt < 20 && acks.IsEmpty; attempt++)
                {
                    Assert.True(gateway.Publish($"gw/{DeviceId}/up", buf.AsSpan(0, len).ToArray(), 1, false, TimeSpan.FromSeconds(5)));
                    Thread.Sleep(500);
                }

                Assert.False(acks.IsEmpty, "the batch was acknowledged");

                // The checkpoint covering the leaf, in the folder (signed within a couple of checkpoint intervals).
                var latest = Path.Combine(folder, "checkpoint");
                var sw = Stopwatch.StartNew();
                SignedCheckpoint? signed = null;
                while (sw.Elapsed < TimeSpan.FromSeconds(30))
                {
                    try
                    {
                        if (File.Exists(latest) && SignedCheckpoint.ParseVerified(File.ReadAllText(latest), verifier) is { } c && c.Checkpoint.Size >= 1)
                        {
                            signed = c;
                            break;
                        }
                    }
                    catch (FormatException)
                    {
                        // Caught while being replaced: read it again.
                    }

                    Thread.Sleep(100);
                }

                Assert.True(signed is not null, "a checkpoint covering the batch was written to the folder: " + File.ReadAllText(Path.Combine(_dir, "receiver.log")));
                Assert.Equal(Origin, signed!.Checkpoint.Origin);

                // Retained on MQTT: a party that subscribes now still gets a checkpoint, signed by the log's key.
                var retained = new ConcurrentQueue<string>();
                using var outsider = new MosquittoClient("outsider", cleanSession: true);
                outsider.SetCredentials(_broker.Username, _broker.Password);
                outsider.MessageReceived += m => retained.Enqueue(Encoding.UTF8.GetString(m.Payload));
                outsider.Subscribe($"log/{Origin}/checkpoint");
                outsider.Start(_broker.Host, _broker.Port);
                Assert.True(outsider.WaitConnected(TimeSpan.FromSeconds(10)));
                sw.Restart();
                while (retained.IsEmpty && sw.Elapsed < TimeSpan.FromSeconds(10))
                {
                    Thread.Sleep(50);
                }

                Assert.True(retained.TryDequeue(out var note), "a retained checkpoint on log/ORIGIN/checkpoint");
                Assert.True(SignedCheckpoint.ParseVerified(note!, verifier).Checkpoint.Size >= 1);
                Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
            }

            // The database audits clean against the checkpoints the receiver signed and the one it published.
            using (var store = (SqlReceiverStore)ReceiverStoreFactory.Open("sqlite:" + db))
            {
                Assert.Equal(8, store.CountReadings(DeviceId));
                Assert.NotEmpty(store.ReadCheckpoints(1));
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var (code, stdout, stderr) = Gateway.Tests.Cli.SimCommandErrorTests.Cli(_dir, "audit", "database", "--db", "sqlite:" + db, "--key", NoteVerifier.Format(verifier.Name, verifier.Type, verifier.Key),
                "--checkpoint", Path.Combine(folder, "checkpoint"), "--json");
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("\"ok\":true", stdout, StringComparison.Ordinal);
        }
    }
}
