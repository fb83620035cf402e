using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// Issue 13's first finding, the other way round: a <c>cloud run</c> process killed with SIGKILL while the broker has
    /// handed it many messages and holds many more. Nothing it had not made durable was acknowledged, so the broker
    /// redelivers it to the same client id when the receiver comes back, and every reading is stored — none waits for
    /// a gateway's resend. Also the command line's refusals (a password on the command line, an anonymous connection).
    /// </summary>
    public sealed class ReceiverKillRedeliveryTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();

        /// <summary>Every device its own key (the receiver refuses a key shared by two devices).</summary>
        private static byte[] DeviceKey(uint device) => Key.Select((b, i) => (byte)(b ^ (i == 0 ? device : 0))).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-kill-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker = new(seed: 21);

        public ReceiverKillRedeliveryTests()
        {
            Directory.CreateDirectory(_dir);
            _broker.Start();
        }

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private static byte[] Batch(BatchEncoder e, uint first, int n)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + ((first + i) * 60_000L), 500 + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        private ReceiverProcess Start(string db, string keys, bool append, params string[] extra) =>
            new(BrokerSimulationTests.CliCommand(),
                new[] { "cloud", "run", "--broker", $"{_broker.Host}:{_broker.Port}", "--db", db, "--keys", keys, "--client-id", "rx-killed", "--in-flight", "16", "--stop-on-stdin-close" }.Concat(extra),
                new Dictionary<string, string> { ["GATEWAY_MQTT_USER"] = _broker.Username, ["GATEWAY_MQTT_PASSWORD"] = _broker.Password },
                Path.Combine(_dir, "receiver.log"), append);

        [Fact]
        public void A_receiver_killed_with_messages_in_flight_gets_them_again_from_the_broker_and_nothing_is_lost()
        {
            const int Devices = 10;
            const int BatchesPerDevice = 90; // the kill lands mid-stream however fast the receiver is, and the test broker (stock mosquitto: max_queued_messages 1000) keeps every message
            const int PerBatch = 10;
            var db = Path.Combine(_dir, "rx.db");
            var keys = Path.Combine(_dir, "keys.json");
            var ring = new KeyRing();
            for (uint d = 1; d <= Devices; d++)
            {
                ring.Add(100 + d, 1, DeviceKey((uint)(100 + d)));
            }

            ring.Save(keys);
            var acks = new ConcurrentDictionary<string, int>();
            using var gateways = new MosquittoClient("gateways", cleanSession: true);
            gateways.SetCredentials(_broker.Username, _broker.Password);
            gateways.MessageReceived += m => acks.AddOrUpdate(m.Topic, 1, (_, n) => n + 1);
            gateways.Subscribe("gw/+/ack");
            gateways.Start(_broker.Host, _broker.Port);
            Assert.True(gateways.WaitConnected(TimeSpan.FromSeconds(10)));

            var rx = Start("sqlite:" + db, keys, append: false);
            rx.WaitReady(TimeSpan.FromSeconds(60));

            // Every gateway's batches, interleaved, published as fast as the broker takes them (900 messages).
            var encoders = Enumerable.Range(1, Devices).Select(d => new BatchEncoder(new HostHmacSha256(1, DeviceKey((uint)(100 + d))), (uint)(100 + d), 1, 1024)).ToArray();
            var published = 0;
            for (var b = 0; b < BatchesPerDevice; b++)
            {
                for (var d = 0; d < Devices; d++)
                {
                    Assert.True(gateways.Publish($"gw/{101 + d}/up", Batch(encoders[d], 1 + ((uint)b * PerBatch), PerBatch), 1, false, TimeSpan.FromSeconds(5)));
                    published++;
                }
            }

            // Killed while it holds messages handed over and not yet acknowledged, and the broker holds the rest.
            var sw = Stopwatch.StartNew();
            while (rx.Messages < 20 && sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
            }

            rx.Kill();
            var handledBefore = rx.Messages;
            Assert.InRange(handledBefore, 1, published - 50);
            rx.Dispose();

            // Back under the same client id: the broker delivers what was unacknowledged and what it kept.
            using var again = Start("sqlite:" + db, keys, append: true);
            again.WaitReady(TimeSpan.FromSeconds(60));
            // A fence after everything: the broker delivers it in order, so once answered everything before it is handled.
            Assert.True(gateways.Publish(again.ProbeTopic!, System.Text.Encoding.UTF8.GetBytes(MqttReceiverService.FencePrefix + "end"), 1, false, TimeSpan.FromSeconds(5)));
            Assert.True(again.WaitFence("end", TimeSpan.FromSeconds(120)), $"the restarted receiver handled {again.Messages}; {handledBefore} were handled before the kill");

            // The rest of the stream reached the database through the restarted receiver (what the broker kept, and what
            // the killed one held unacknowledged, redelivered); the counts below prove none of it was lost. How much that
            // was depends on how far the killed one got, which it may not have reported before the kill.
            Assert.True(again.WaitHandled(1, TimeSpan.FromSeconds(10)), $"{again.Messages} handled after the restart, {handledBefore} before, {published} published");
            Assert.Equal(0, again.Stop(TimeSpan.FromSeconds(30)));

            using var store = new SqliteReceiverStore(db);
            Assert.Equal(Devices * BatchesPerDevice * PerBatch, store.CountReadings());
            for (uint d = 1; d <= Devices; d++)
            {
                Assert.Equal(BatchesPerDevice * PerBatch, store.AllReadings().Count(r => r.DeviceId == 100 + d));
            }

            // Every batch was answered, without a single resend by the gateways.
            Assert.True(acks.Values.Sum() >= published, $"{acks.Values.Sum()} acknowledgements for {published} batches");
        }

        [Fact]
        public void Cloud_run_refuses_a_password_on_the_command_line_and_an_anonymous_connection_not_asked_for()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // file modes and SIGKILL are the Linux receiver's
            }

            var keys = Path.Combine(_dir, "keys.json");
            new KeyRing().Add(5, 1, Key).Save(keys);
            (int Code, string Err) Run(Dictionary<string, string> env, params string[] args)
            {
                var cli = BrokerSimulationTests.CliCommand();
                var psi = new ProcessStartInfo(cli[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in cli.Skip(1).Concat(new[] { "cloud", "run", "--broker", $"{_broker.Host}:{_broker.Port}", "--db", "sqlite:" + Path.Combine(_dir, "x.db"), "--keys", keys }).Concat(args))
                {
                    psi.ArgumentList.Add(a);
                }

                psi.Environment.Remove("GATEWAY_MQTT_USER");
                psi.Environment.Remove("GATEWAY_MQTT_PASSWORD");
                foreach (var (k, v) in env)
                {
                    psi.Environment[k] = v;
                }

                using var p = Process.Start(psi)!;
                var err = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                Assert.True(p.WaitForExit(60_000));
                return (p.ExitCode, err.Result.Trim());
            }

            var none = new Dictionary<string, string>();
            var password = Run(new() { ["GATEWAY_MQTT_USER"] = _broker.Username }, "--password", _broker.Password);
            Assert.Equal(2, password.Code);
            Assert.Contains("--password is refused", password.Err, StringComparison.Ordinal);
            Assert.Single(password.Err.Split('\n'));

            var anonymous = Run(none);
            Assert.Equal(2, anonymous.Code);
            Assert.Contains("anonymous connection is refused unless --anonymous", anonymous.Err, StringComparison.Ordinal);

            var wrong = Run(new() { ["GATEWAY_MQTT_USER"] = _broker.Username, ["GATEWAY_MQTT_PASSWORD"] = "wrong" }, "--for", "1");
            Assert.Equal(2, wrong.Code);
            Assert.Contains("the broker refused the connection", wrong.Err, StringComparison.Ordinal);

            var open = Path.Combine(_dir, "pw");
            File.WriteAllText(open, _broker.Password + "\n");
            File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var wide = Run(new() { ["GATEWAY_MQTT_USER"] = _broker.Username }, "--password-file", open);
            Assert.Equal(2, wide.Code);
            Assert.Contains("readable by others", wide.Err, StringComparison.Ordinal);

            File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var fromFile = Run(new() { ["GATEWAY_MQTT_USER"] = _broker.Username }, "--password-file", open, "--for", "1");
            Assert.Equal(0, fromFile.Code);
            Assert.DoesNotContain("Exception", wrong.Err + anonymous.Err + password.Err, StringComparison.Ordinal);
        }
    }
}
