using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;

namespace Gateway.Simulation
{
    /// <summary>
    /// The cloud side of a run through a real broker: one or several <c>./gateway cloud run</c> processes (a shared
    /// subscription group when several), optionally killed with SIGKILL at a fixed wall-time interval and restarted
    /// under the same client id, or the receiver service in process; and how the run ends with them (fences).
    /// </summary>
    public sealed partial class Simulation
    {
        private readonly object _receiversGate = new();
        private Thread? _killer;
        private volatile bool _killing;
        private long _receiverMessagesOfKilled;

        /// <summary>Every receiver process (the current instance of each), when the run goes through a broker with process receivers.</summary>
        public List<ReceiverProcess> ReceiverProcesses { get; } = new();

        /// <summary>Receiver processes killed with SIGKILL during the run (each restarted).</summary>
        public int ReceiverKills { get; private set; }

        /// <summary>The ledger of gateway uplinks the broker accepted and the acknowledgements the cloud sent (broker runs).</summary>
        public UplinkLedger? Ledger { get; private set; }

        /// <summary>The receivers' database, as their <c>--db</c> option says it.</summary>
        public string DatabaseSpec => _options.Database ?? "sqlite:" + Path.GetFullPath(DatabasePath);

        /// <summary>Readings in publishes the broker accepted that no receiver handled (the gateway had to send them again); 0 unless through a broker.</summary>
        public long ReadingsResentAfterCloudLoss => Ledger?.ReadingsLostByCloud() ?? 0;

        /// <summary>
        /// With receivers killed at an interval: the least wall time the deployment's traffic is spread over, so the kills
        /// land in mid-traffic — every receiver (at least three kills) while gateways publish: (max(3, receivers) + ½)
        /// intervals. 0 otherwise (the run goes as fast as it can).
        /// </summary>
        public double PacedWallSeconds => _options.KillReceiverEverySeconds > 0 && _options.Receiver == "process" && _options.Broker != null
            ? (Math.Max(3, _options.Receivers) + 0.5) * _options.KillReceiverEverySeconds
            : 0;

        private System.Diagnostics.Stopwatch? _paceWatch;

        /// <summary>Holds the run back so that a fraction <paramref name="done"/> of it takes that fraction of <see cref="PacedWallSeconds"/>.</summary>
        private void Pace(double done)
        {
            if (PacedWallSeconds <= 0)
            {
                return;
            }

            _paceWatch ??= System.Diagnostics.Stopwatch.StartNew();
            var ahead = (done * PacedWallSeconds) - _paceWatch.Elapsed.TotalSeconds;
            if (ahead > 0.005)
            {
                Thread.Sleep(TimeSpan.FromSeconds(ahead));
            }
        }

        /// <summary>Opens the run's database, which must hold no readings yet (a PostgreSQL database is never emptied by the simulator).</summary>
        private IReceiverStore OpenEmptyStore()
        {
            var store = ReceiverStoreFactory.Open(DatabaseSpec);
            if (store.CountReadings() > 0)
            {
                store.Dispose();
                throw new ArgumentException($"the database {Redact(DatabaseSpec)} already holds readings: give the simulator an empty one");
            }

            return store;
        }

        private static string Redact(string spec) => spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)
            ? string.Join(';', spec.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)))
            : spec;

        private void ConnectBroker(SimOptions options)
        {
            var colon = options.Broker!.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(options.Broker[(colon + 1)..], out var port))
            {
                throw new ArgumentException("--broker must be HOST:PORT");
            }

            var host = options.Broker[..colon];
            var user = options.BrokerUser ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_USER");
            if (string.IsNullOrEmpty(user))
            {
                user = null; // an empty variable is no user: the receiver connects anonymously, by name
            }

            var password = options.BrokerPassword ?? Environment.GetEnvironmentVariable("GATEWAY_MQTT_PASSWORD");

            // One run, one name: a broker shared with earlier runs keeps nothing of theirs for this one.
            var run = $"{options.Seed}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            _broker = (host, port, user, password, run);
            var clockTopic = $"gateway-sim/{run}/clock";
            var receiverId = "gateway-sim-receiver-" + run;
            Ledger = new UplinkLedger(Keys);
            if (options.Receivers < 1 || options.KillReceiverEverySeconds < 0)
            {
                throw new ArgumentException("--receivers must be at least 1 and --kill-receiver-every at least 0");
            }

            if (options.Receiver == "in-process")
            {
                _store = OpenEmptyStore();
                Receiver = new CloudReceiver(_store, Keys);
                Service = new MqttReceiverService(Receiver, new MqttReceiverSettings(host, port, user, password, null, receiverId, CleanSession: true, ClockTopic: clockTopic));
                if (!Service.Start(TimeSpan.FromSeconds(15)))
                {
                    throw new InvalidOperationException($"the receiver could not connect to the broker at {options.Broker}");
                }
            }
            else if (options.Receiver == "process")
            {
                OpenEmptyStore().Dispose(); // refuses a database that already holds readings, and creates the schema once
                Keys.Save(KeyFilePath);
                var env = new Dictionary<string, string>();
                if (user != null)
                {
                    env["GATEWAY_MQTT_USER"] = user;
                }

                if (password != null)
                {
                    env["GATEWAY_MQTT_PASSWORD"] = password; // not on the command line, where any user could read it
                }

                for (var i = 0; i < options.Receivers; i++)
                {
                    // A persistent session under a fixed client id per instance: what one held unacknowledged when it was
                    // killed, the broker redelivers when it comes back; the session expires 10 minutes after the run.
                    var args = new List<string>
                    {
                        "cloud", "run", "--broker", options.Broker, "--db", DatabaseSpec, "--keys", Path.GetFullPath(KeyFilePath),
                        "--client-id", options.Receivers == 1 ? receiverId : $"{receiverId}-{i + 1}", "--session-expiry", "600",
                        "--clock-topic", clockTopic, "--stop-on-stdin-close",
                    };
                    if (options.Receivers > 1)
                    {
                        args.AddRange(new[] { "--share-group", "gateway-sim-" + run });
                    }

                    if (user is null)
                    {
                        args.Add("--anonymous");
                    }

                    var log = Path.Combine(options.OutDir, options.Receivers == 1 ? "receiver.log" : $"receiver-{i + 1}.log");
                    ReceiverProcesses.Add(new ReceiverProcess(options.ReceiverCommand ?? ReceiverProcess.CurrentCli(), args, env, log));
                }

                foreach (var p in ReceiverProcesses)
                {
                    p.WaitReady(TimeSpan.FromSeconds(60));
                }

                if (options.KillReceiverEverySeconds > 0)
                {
                    _killing = true;
                    _killer = new Thread(KillReceivers) { IsBackground = true, Name = "receiver-killer" };
                    _killer.Start();
                }
            }
            else
            {
                throw new ArgumentException("the receiver is \"process\" or \"in-process\"");
            }

            Link = new BrokerLink(host, port, user, password, "gateway-sim-operators-" + run, clockTopic, Ledger);
            var link = Link;
            var commandsBefore = 0;
            var answerExpected = true;
            Network.TopicSink = (topic, json) =>
            {
                commandsBefore = Network.DownlinkCommandsTakenFor(topic.Split('/')[3]);
                // The network server stamps the event with the reception time; that is also "now" for the receiver.
                var t = ChirpStackEvents.ReadUplink(System.Text.Encoding.UTF8.GetBytes(json), DateTimeOffset.UnixEpoch);

                // A fragment completes a batch only when every fragment of that batch reached the network: only then
                // can an acknowledgement answer it.
                answerExpected = t.Uplink is not { FPort: Gateway.Core.Codec.BatchFragmenter.FragmentPort } f || FragmentCompletes(f);
                BytesReceived += t.Uplink?.Payload.Length ?? 0;
                link.Publish(topic, System.Text.Encoding.UTF8.GetBytes(json), t.Uplink?.ReceivedAt.ToUnixTimeMilliseconds() ?? long.MinValue, expectAnswer: answerExpected);
            };

            // The receiver answers an accepted batch with an acknowledgement at once: wait for it (bounded, in real
            // time) so it goes out in this uplink's receive window, as with a network server and a quick application.
            Network.AwaitDownlinkData = devEui =>
            {
                if (!answerExpected)
                {
                    return;
                }

                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (sw.ElapsedMilliseconds < DownlinkDataWaitMs)
                {
                    TakeNetworkCommands();
                    if (Network.DownlinkCommandsTakenFor(devEui) > commandsBefore)
                    {
                        return;
                    }

                    Thread.Sleep(1);
                }

                DownlinkDataWaitsTimedOut++;
            };
        }

        private readonly Dictionary<string, (uint First, int Seen)> _fragmentsSeen = new();

        /// <summary>True when this fragment is the last one the network delivered of a batch whose every fragment it delivered.</summary>
        private bool FragmentCompletes(NetworkUplink f)
        {
            if (f.Payload.Length == 0)
            {
                return false;
            }

            int index = f.Payload[0] >> 4, count = (f.Payload[0] & 0xF) + 1;
            var first = unchecked(f.FCnt - (uint)index);
            if (!_fragmentsSeen.TryGetValue(f.DevEui, out var seen) || seen.First != first)
            {
                seen = (first, 0);
            }

            seen.Seen |= 1 << index;
            _fragmentsSeen[f.DevEui] = seen;
            return seen.Seen == (1 << count) - 1;
        }

        /// <summary>Every interval of wall time: SIGKILL the next receiver in turn, then start it again under the same client id.</summary>
        private void KillReceivers()
        {
            var interval = TimeSpan.FromSeconds(_options.KillReceiverEverySeconds);
            var next = 0;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var due = interval;
            while (_killing)
            {
                if (sw.Elapsed < due)
                {
                    Thread.Sleep(20);
                    continue;
                }

                due += interval;
                lock (_receiversGate)
                {
                    if (!_killing)
                    {
                        return;
                    }

                    var i = next++ % ReceiverProcesses.Count;
                    var victim = ReceiverProcesses[i];
                    victim.Kill();
                    ReceiverKills++;
                    _receiverMessagesOfKilled += victim.Messages;
                    victim.Dispose();
                    var restarted = new ReceiverProcess(victim.Command, victim.Arguments, victim.ExtraEnvironment, victim.LogPath, appendLog: true);
                    ReceiverProcesses[i] = restarted;
                    restarted.WaitReady(TimeSpan.FromSeconds(60));
                }
            }
        }

        private void StopKilling()
        {
            _killing = false;
            _killer?.Join();
            _killer = null;
        }

        /// <summary>
        /// The end with process receivers: no more kills; a fence on each receiver's private topic, published after
        /// everything else, comes back only once that receiver has handled (committed and acknowledged) everything the
        /// broker delivered to it before; then SIGTERM, and the figures are read from the database they wrote.
        /// </summary>
        private void FinishReceivers()
        {
            StopKilling();
            var published = MessagesForReceiver;
            var fence = "end-" + Guid.NewGuid().ToString("N")[..8];
            var timeout = TimeSpan.FromSeconds(120 + (published / 500));
            var drained = true;
            foreach (var p in ReceiverProcesses)
            {
                drained &= p.ProbeTopic != null && Link!.PublishControl(p.ProbeTopic, System.Text.Encoding.UTF8.GetBytes(MqttReceiverService.FencePrefix + fence));
            }

            foreach (var p in ReceiverProcesses)
            {
                drained &= p.WaitFence(fence, timeout);
            }

            // The acknowledgements the receivers published before their fences reach the ledger.
            WaitForQuiet();
            ReceiverDrained = drained;
            ReceiverMessages = _receiverMessagesOfKilled + ReceiverProcesses.Sum(p => p.Messages);
            Link!.Dispose();
            var failures = new List<string>();
            foreach (var p in ReceiverProcesses)
            {
                var code = p.Stop(TimeSpan.FromSeconds(60));
                if (code != 0)
                {
                    failures.Add($"the receiver process exited with {code}: {p.LastErrors()}");
                }
            }

            ReceiverStopped = ReceiverProcesses[0].StoppedLine;
            if (failures.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", failures));
            }
        }

        private void DisposeReceivers()
        {
            StopKilling();
            foreach (var p in ReceiverProcesses)
            {
                p.Dispose();
            }
        }
    }
}
