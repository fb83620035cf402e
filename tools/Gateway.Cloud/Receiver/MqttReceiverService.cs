using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using Gateway.Cloud.Ingest;
using MQTTnet;

namespace Gateway.Cloud.Receiver
{
    /// <summary>
    /// The receiver on a real MQTT broker (MQTTnet, MQTT 5): gateways' batches from <c>gw/+/up</c> (cellular, Wi-Fi),
    /// and LoRaWAN network servers' uplink events (ChirpStack v4, The Things Stack v3). Each message is verified, stored
    /// once and acknowledged on the path it came from: <c>gw/{id}/ack</c> and its hex twin <c>gw/{id}/ack/hex</c>
    /// (<see cref="SendDownlink"/>), or the network server's downlink command topic.
    /// Everything rejected is logged with its reason and stored in the audit trail, never in the readings.
    /// <para>
    /// Nothing is acknowledged before it is durable: each QoS 1 message is acknowledged to the broker (PUBACK) only
    /// after its readings and chain state are committed and the gateway's acknowledgement downlink has been accepted by
    /// the broker. At most <see cref="MqttReceiverSettings.InFlight"/> messages are with the receiver unacknowledged
    /// (Receive Maximum); the broker keeps the rest in the persistent session (clean start off, fixed client id), so a
    /// receiver killed at any instant loses nothing: the broker redelivers the unacknowledged messages when the same
    /// client id connects again, and (device, sequence) deduplication makes a redelivered message a harmless replay,
    /// acknowledged once the store has said so.
    /// </para>
    /// </summary>
    public sealed partial class MqttReceiverService : IDisposable
    {
        /// <summary>The topic filters the receiver subscribes to (before any shared-subscription prefix).</summary>
        public static readonly string[] TopicFilters = { "gw/+/up", ChirpStackEvents.UplinkTopicFilter, TheThingsStackEvents.UplinkTopicFilter };

        /// <summary>The payload prefix of a fence on the probe topic (<see cref="ProbeTopic"/>): answered in order, after everything before it.</summary>
        public const string FencePrefix = "fence:";

        private readonly CloudReceiver _receiver;
        private readonly object _gate = new();
        private readonly Action<string> _log;
        private readonly Channel<Inbound> _inbox;
        private readonly Thread _worker;
        private readonly List<Inbound> _held = new();
        private long _messages;
        private long _rejected;
        private long _stored;
        private long _dropped;
        private long _acknowledged;
        private long _unacknowledged;
        private int _queued;
        private int _inHand;
        private long _clockMs = long.MinValue;
        private bool _stopped;

        /// <summary>Creates the service (not yet connected).</summary>
        public MqttReceiverService(CloudReceiver receiver, MqttReceiverSettings settings, Action<string>? log = null)
        {
            ArgumentNullException.ThrowIfNull(settings);
            _receiver = receiver;
            _log = log ?? (_ => { });
            Settings = settings;
            ProbeTopic = "gateway-cloud/" + settings.ClientId + "/probe";

            // The broker never has more than the window in flight; the room beyond it is slack, never reached.
            _inbox = Channel.CreateBounded<Inbound>(new BoundedChannelOptions(Math.Max(1, settings.InFlight) * 2)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += OnReceivedAsync;
            _client.DisconnectedAsync += OnDisconnectedAsync;
            _worker = new Thread(Work) { IsBackground = true, Name = "gateway-receiver" };
            _worker.Start();
        }

        /// <summary>The settings.</summary>
        public MqttReceiverSettings Settings { get; }

        /// <summary>This instance's private topic: "probe" proves the subscriptions; a fence (<see cref="FencePrefix"/>) is answered in order.</summary>
        public string ProbeTopic { get; }

        /// <summary>Called (from the handling thread) with a fence's id once every message the broker delivered before it is handled.</summary>
        public Action<string>? FenceReached { get; set; }

        /// <summary>Messages handled (the probe and clock messages not counted).</summary>
        public long Messages => Interlocked.Read(ref _messages);

        /// <summary>Messages rejected (malformed envelopes, forged, replayed-nothing-new, unknown devices).</summary>
        public long Rejected => Interlocked.Read(ref _rejected);

        /// <summary>Readings newly stored.</summary>
        public long Stored => Interlocked.Read(ref _stored);

        /// <summary>Messages that arrived after the service had stopped taking them (not acknowledged: the broker or the gateway sends them again).</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Messages acknowledged to the broker (after they were durable).</summary>
        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        /// <summary>Messages left unacknowledged (a store error, a lost connection): the broker redelivers them.</summary>
        public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

        /// <summary>True while connected.</summary>
        public bool IsConnected => _client.IsConnected;

        /// <summary>Messages received but not yet handled.</summary>
        public int Backlog => Volatile.Read(ref _queued);

        /// <summary>True when nothing is queued and nothing is being handled.</summary>
        public bool Idle => Volatile.Read(ref _queued) == 0 && Volatile.Read(ref _inHand) == 0;

        /// <summary>When set (before <see cref="Start"/>): commissioning records on gw/+/commission are verified and stored by it.</summary>
        public Gateway.Cloud.Commissioning.CommissioningVerifier? Commissioning { get; set; }

        /// <summary>Waits until every message received so far is handled (or the timeout); true when idle.</summary>
        public bool Drain(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!Idle)
            {
                if (sw.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(10);
            }

            return true;
        }

        /// <summary>
        /// Stops cleanly: handles what has arrived (acknowledging it while still connected, up to
        /// <paramref name="drainTimeout"/>) and disconnects; whatever is still unhandled then is not acknowledged: with a
        /// persistent session the broker delivers it again at the next start (with a clean session the gateways resend
        /// it). The store stays open.
        /// </summary>
        public void Stop(TimeSpan drainTimeout)
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                _stopped = true;
            }

            Drain(drainTimeout);
            _stopping.Cancel();
            _inbox.Writer.TryComplete();
            _worker.Join(TimeSpan.FromSeconds(60));
            Disconnect();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Stop(TimeSpan.FromSeconds(10));
            _client.Dispose();
            _probed.Dispose();
            _stopping.Dispose();
        }

        private void Work()
        {
            var reader = _inbox.Reader;
            var drained = new List<Inbound>(MaxGroup);
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // Whatever waits (never waiting for more): gateways' batches among it are committed together, one
                // durable commit for the group, before any of them is acknowledged (group commit).
                drained.Clear();
                while (drained.Count < MaxGroup && reader.TryRead(out var m))
                {
                    Interlocked.Increment(ref _inHand);
                    Interlocked.Decrement(ref _queued);
                    drained.Add(m);
                }

                try
                {
                    foreach (var m in drained)
                    {
                        Take(m);
                    }

                    FlushUplinks();
                }
                finally
                {
                    Interlocked.Add(ref _inHand, -drained.Count);
                }
            }
        }

        /// <summary>
        /// One delivered message, in delivery order. Under a simulation clock nothing is handled before the first clock
        /// message (a restarted receiver gets the retained one): the messages before it wait, in order.
        /// </summary>
        private void Take(Inbound m)
        {
            if (Settings.ClockTopic != null && m.Topic == Settings.ClockTopic)
            {
                if (long.TryParse(Encoding.ASCII.GetString(m.Payload), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
                {
                    _clockMs = Math.Max(_clockMs, ms);
                }

                Acknowledge(m);
                if (_held.Count > 0 && _clockMs != long.MinValue)
                {
                    var held = _held.ToArray();
                    _held.Clear();
                    foreach (var h in held)
                    {
                        Process(h);
                    }
                }

                return;
            }

            if (Settings.ClockTopic != null && _clockMs == long.MinValue)
            {
                _held.Add(m);
                return;
            }

            Process(m);
        }

        /// <summary>Most gateway batches committed in one durable transaction.</summary>
        public const int MaxGroup = 32;

        private readonly List<Inbound> _uplinks = new(MaxGroup);

        private void Process(Inbound m)
        {
            var parts = m.Topic.Split('/');
            if (parts.Length == 3 && parts[0] == "gw" && parts[2] == "up")
            {
                _uplinks.Add(m); // committed with the others of this group (FlushUplinks), in delivery order
                return;
            }

            FlushUplinks(); // what came before this message is committed and acknowledged before it
            if (m.Topic == ProbeTopic)
            {
                var text = Encoding.UTF8.GetString(m.Payload);
                if (text.StartsWith(FencePrefix, StringComparison.Ordinal))
                {
                    FenceReached?.Invoke(text[FencePrefix.Length..]);
                }

                Acknowledge(m);
                return;
            }

            bool durable;
            try
            {
                Handle(m);
                durable = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not stored, or stored without the gateway's acknowledgement sent: not acknowledged to the broker either.
                // The connection is renewed so that the broker delivers it again (it redelivers unacknowledged messages
                // only at a new connection); the store's deduplication makes the second time harmless.
                durable = false;
                Interlocked.Increment(ref _unacknowledged);
                _log($"not acknowledged {m.Topic}: {ex.GetType().Name}: {ex.Message}; the broker will deliver it again");
                RequestReconnect();
            }

            if (durable)
            {
                Interlocked.Increment(ref _messages);
                Acknowledge(m);
            }
        }

        /// <summary>
        /// Commits the gateways' batches gathered so far in one durable transaction, then for each, in delivery order:
        /// its acknowledgement downlink to the gateway, then its acknowledgement to the broker. Nothing is acknowledged
        /// when the commit fails; a batch whose downlink could not be published is not acknowledged (the broker
        /// delivers it again after the reconnection, and the store recognises it).
        /// </summary>
        private void FlushUplinks()
        {
            if (_uplinks.Count == 0)
            {
                return;
            }

            var group = _uplinks.ToArray();
            _uplinks.Clear();
            var at = Now().ToUnixTimeMilliseconds();
            var incoming = new IncomingBatch[group.Length];
            for (var i = 0; i < group.Length; i++)
            {
                incoming[i] = new IncomingBatch("cellular", group[i].Payload, at, group[i].Topic);
            }

            IReadOnlyList<IngestOutcome> outcomes;
            try
            {
                outcomes = _receiver.IngestMany(incoming);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Add(ref _unacknowledged, group.Length);
                _log($"not acknowledged {group.Length} batch(es): {ex.GetType().Name}: {ex.Message}; the broker will deliver them again");
                RequestReconnect();
                return;
            }

            for (var i = 0; i < group.Length; i++)
            {
                try
                {
                    Answer(group[i].Topic, outcomes[i]);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref _unacknowledged);
                    _log($"not acknowledged {group[i].Topic}: {ex.GetType().Name}: {ex.Message}; the broker will deliver it again");
                    RequestReconnect();
                    continue;
                }

                Interlocked.Increment(ref _messages);
                Acknowledge(group[i]);
            }
        }

        /// <summary>The receiver's clock (the simulated time under a clock topic, else the host's), Unix ms UTC.</summary>
        public long NowMs => Now().ToUnixTimeMilliseconds();

        private DateTimeOffset Now() => _clockMs != long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(_clockMs) : DateTimeOffset.UtcNow;

        /// <summary>A message the broker handed over, with what is needed to acknowledge it on the connection it came on.</summary>
        private sealed record Inbound(string Topic, byte[] Payload, MqttApplicationMessageReceivedEventArgs? Args, int Generation);
    }
}
