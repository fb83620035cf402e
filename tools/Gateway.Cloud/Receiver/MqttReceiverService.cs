using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using Gateway.Cloud.Ingest;
using Gateway.Core.Codec;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;

namespace Gateway.Cloud.Receiver
{
    /// <summary>Connection settings of the receiver's MQTT client.</summary>
    /// <param name="Host">Broker host (the regional exchange's broker).</param>
    /// <param name="Port">Broker port.</param>
    /// <param name="Username">User, or null for none.</param>
    /// <param name="Password">Password, or null.</param>
    /// <param name="ShareGroup">When set, subscriptions are shared (<c>$share/GROUP/...</c>): several receivers split the load.</param>
    /// <param name="ClientId">Client id (stable per receiver instance: the broker keeps its session under it).</param>
    /// <param name="CleanSession">True for a session the broker forgets at disconnect (a simulation run); false (production) keeps
    /// the subscriptions and queues QoS 1 messages while the receiver restarts.</param>
    /// <param name="ClockTopic">Simulation only: a topic carrying the simulated world's time (Unix ms, decimal text); when set,
    /// messages are stamped with the latest time seen there instead of the host clock.</param>
    public sealed record MqttReceiverSettings(string Host, int Port, string? Username, string? Password, string? ShareGroup, string ClientId,
        bool CleanSession = false, string? ClockTopic = null);

    /// <summary>
    /// The receiver on a real MQTT broker: gateways' batches from <c>gw/+/up</c> (cellular, Wi-Fi), and LoRaWAN
    /// network servers' uplink events (ChirpStack v4, The Things Stack v3). Each message is verified, stored once and
    /// acknowledged on the path it came from: <c>gw/{id}/ack</c> and its hex twin <c>gw/{id}/ack/hex</c>
    /// (<see cref="SendDownlink"/>), or the network server's downlink command topic.
    /// Everything rejected is logged with its reason and stored in the audit trail, never in the readings.
    /// The session is persistent (QoS 1, clean session off), so messages published while the receiver restarts are
    /// delivered when it returns; (device, sequence) deduplication makes redelivery harmless.
    /// </summary>
    public sealed class MqttReceiverService : IDisposable
    {
        /// <summary>The topic filters the receiver subscribes to (before any shared-subscription prefix).</summary>
        public static readonly string[] TopicFilters = { "gw/+/up", ChirpStackEvents.UplinkTopicFilter, TheThingsStackEvents.UplinkTopicFilter };

        private readonly CloudReceiver _receiver;
        private readonly MosquittoClient _client;
        private readonly object _gate = new();
        private readonly object _sendGate = new();
        private readonly Action<string> _log;
        private readonly BlockingCollection<MqttMessage> _inbox = new(100_000);
        private readonly Thread _worker;
        private readonly string _probeTopic;
        private readonly ManualResetEventSlim _probed = new(false);
        private long _messages;
        private long _rejected;
        private long _stored;
        private long _dropped;
        private int _inHand;
        private long _clockMs = long.MinValue;
        private bool _closed;
        private bool _stopped;

        /// <summary>Creates the service (not yet connected).</summary>
        public MqttReceiverService(CloudReceiver receiver, MqttReceiverSettings settings, Action<string>? log = null)
        {
            _receiver = receiver;
            _log = log ?? (_ => { });
            Settings = settings;
            _probeTopic = "gateway-cloud/" + settings.ClientId + "/probe";
            _client = new MosquittoClient(settings.ClientId, cleanSession: settings.CleanSession);
            if (settings.Username != null)
            {
                _client.SetCredentials(settings.Username, settings.Password ?? string.Empty);
            }

            // The client's network thread only queues: handling publishes acknowledgements and waits for the broker's
            // PUBACK, which that same thread must be free to read.
            _client.MessageReceived += OnArrived;
            _worker = new Thread(Work) { IsBackground = true, Name = "gateway-receiver" };
            _worker.Start();
        }

        /// <summary>The settings.</summary>
        public MqttReceiverSettings Settings { get; }

        /// <summary>Messages handled (the probe and clock messages not counted).</summary>
        public long Messages => Interlocked.Read(ref _messages);

        /// <summary>Messages rejected (malformed envelopes, forged, replayed-nothing-new, unknown devices).</summary>
        public long Rejected => Interlocked.Read(ref _rejected);

        /// <summary>Readings newly stored.</summary>
        public long Stored => Interlocked.Read(ref _stored);

        /// <summary>Messages that arrived after the service had stopped taking them (their senders resend: nothing acknowledged them).</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>True while connected.</summary>
        public bool IsConnected => _client.IsConnected;

        /// <summary>Messages received but not yet handled.</summary>
        public int Backlog => _inbox.Count;

        /// <summary>True when nothing is queued and nothing is being handled.</summary>
        public bool Idle => _inbox.Count == 0 && Volatile.Read(ref _inHand) == 0;

        /// <summary>
        /// Connects and subscribes, then proves the subscriptions are in place: a probe published on a private topic
        /// after them comes back only once the broker has processed every SUBSCRIBE before it. Returns false when the
        /// broker could not be reached (or did not answer) in time.
        /// </summary>
        public bool Start(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            _client.Start(Settings.Host, Settings.Port);
            if (!_client.WaitConnected(timeout))
            {
                return false;
            }

            foreach (var filter in TopicFilters)
            {
                _client.Subscribe(Settings.ShareGroup is null ? filter : $"$share/{Settings.ShareGroup}/{filter}", MqttTopics.Qos);
            }

            if (Commissioning is not null)
            {
                _client.Subscribe(Settings.ShareGroup is null ? "gw/+/commission" : $"$share/{Settings.ShareGroup}/gw/+/commission", MqttTopics.Qos);
            }

            if (Settings.ClockTopic != null)
            {
                _client.Subscribe(Settings.ClockTopic, MqttTopics.Qos);
            }

            _client.Subscribe(_probeTopic, MqttTopics.Qos);
            while (sw.Elapsed < timeout)
            {
                _client.Publish(_probeTopic, Encoding.ASCII.GetBytes("probe"), MqttTopics.Qos, false, TimeSpan.FromSeconds(2));
                if (_probed.Wait(TimeSpan.FromMilliseconds(500)))
                {
                    return true;
                }
            }

            return false;
        }

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
        /// <paramref name="drainTimeout"/>), disconnects, then stores whatever is still queued without acknowledging
        /// it (the gateways resend what is not acknowledged; deduplication keeps it once). The store stays open.
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
            lock (_sendGate)
            {
                _closed = true;
            }

            _client.Dispose();
            _inbox.CompleteAdding();
            _worker.Join(TimeSpan.FromSeconds(60));
        }

        private void OnArrived(MqttMessage m)
        {
            if (m.Topic == _probeTopic)
            {
                _probed.Set();
                return;
            }

            // Never throw back into the native loop: after Stop the message is simply not taken.
            try
            {
                if (!_inbox.IsAddingCompleted && _inbox.TryAdd(m, Timeout.Infinite))
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
            }

            Interlocked.Increment(ref _dropped);
        }

        /// <summary>When set (before <see cref="Start"/>): commissioning records on gw/+/commission are verified and stored by it.</summary>
        public Gateway.Cloud.Commissioning.CommissioningVerifier? Commissioning { get; set; }

        private Gateway.Cloud.Commissioning.LoRaCommissioningIngest? _loraCommissioning;

        private void Work()
        {
            foreach (var m in _inbox.GetConsumingEnumerable())
            {
                Interlocked.Increment(ref _inHand);
                try
                {
                    OnMessage(m);
                }
                finally
                {
                    Interlocked.Decrement(ref _inHand);
                }
            }
        }

        private void OnMessage(MqttMessage m)
        {
            if (Settings.ClockTopic != null && m.Topic == Settings.ClockTopic)
            {
                if (long.TryParse(Encoding.ASCII.GetString(m.Payload), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
                {
                    _clockMs = Math.Max(_clockMs, ms);
                }

                return;
            }

            Interlocked.Increment(ref _messages);
            try
            {
                Handle(m);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _rejected);
                _log($"rejected {m.Topic}: receiver error {ex.Message}");
            }
        }

        private DateTimeOffset Now() => _clockMs != long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(_clockMs) : DateTimeOffset.UtcNow;

        /// <summary>
        /// The publications of one downlink to an MQTT gateway: the binary payload on gw/{id}/ack (channel
        /// <see cref="MqttTopics.AckChannel"/>) or gw/{id}/down (<see cref="MqttTopics.DownChannel"/>), and the same payload
        /// as uppercase hex text on the twin gw/{id}/ack/hex or gw/{id}/down/hex, for cellular modems whose MQTT client
        /// cannot pass binary messages (SIM7080 without SUBHEX). A gateway subscribes to one of the two, so it receives the
        /// downlink once; the broker drops the copy nobody subscribed to. Every downlink publisher goes through this.
        /// </summary>
        public static (string Topic, byte[] Payload)[] DownlinkPublications(string deviceId, int channel, byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            return channel switch
            {
                MqttTopics.AckChannel => [(MqttTopics.Ack(deviceId), payload), (MqttTopics.AckHex(deviceId), HexText(payload))],
                MqttTopics.DownChannel => [(MqttTopics.Down(deviceId), payload), (MqttTopics.DownHex(deviceId), HexText(payload))],
                _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "neither the ack nor the down channel"),
            };
        }

        /// <summary>The payload of a hex twin: two uppercase hex digits per byte, nothing else.</summary>
        public static byte[] HexText(byte[] payload) => Encoding.ASCII.GetBytes(Convert.ToHexString(payload));

        /// <summary>
        /// Publishes a downlink (an acknowledgement or a command) to gateway <paramref name="deviceId"/> on its binary topic
        /// and its hex twin (<see cref="DownlinkPublications"/>), QoS 1.
        /// </summary>
        public void SendDownlink(string deviceId, int channel, byte[] payload)
        {
            foreach (var (topic, data) in DownlinkPublications(deviceId, channel, payload))
            {
                Send(topic, data);
            }
        }

        private void Send(string topic, byte[] payload)
        {
            // Under the send lock, so Stop never frees the client while a publish is in flight.
            lock (_sendGate)
            {
                if (!_closed)
                {
                    _client.Publish(topic, payload, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));
                }
            }
        }

        private void Handle(MqttMessage m)
        {
            var now = Now();
            var parts = m.Topic.Split('/');
            if (parts.Length == 3 && parts[0] == "gw" && parts[2] == "up")
            {
                var outcome = _receiver.Ingest("cellular", m.Payload, now.ToUnixTimeMilliseconds());
                Account(m.Topic, outcome);
                if (outcome.Accepted && outcome.DeviceId.ToString(CultureInfo.InvariantCulture) != parts[1])
                {
                    _log($"note {m.Topic}: batch of device {outcome.DeviceId} arrived on another device's topic");
                }

                foreach (var ack in outcome.AckDownlinks)
                {
                    SendDownlink(outcome.DeviceId.ToString(CultureInfo.InvariantCulture), MqttTopics.AckChannel, ack);
                }

                return;
            }

            if (parts.Length == 3 && parts[0] == "gw" && parts[2] == "commission" && Commissioning is not null)
            {
                var record = Commissioning.Ingest("cellular", m.Payload, now.ToUnixTimeMilliseconds());
                if (!record.Accepted)
                {
                    Interlocked.Increment(ref _rejected);
                }

                _log((record.Accepted ? "commissioning " : "rejected ") + m.Topic + ": " + record.Message);
                return;
            }

            var chirp = m.Topic.StartsWith("application/", StringComparison.Ordinal);
            var read = chirp ? ChirpStackEvents.ReadUplink(m.Payload, now) : TheThingsStackEvents.ReadUplink(m.Payload, now);
            if (!read.Ok)
            {
                Interlocked.Increment(ref _rejected);
                _log($"rejected {m.Topic}: {read.Error}");
                _receiver.Store.StoreChainEvent(new Storage.ChainEvent(0, now.ToUnixTimeMilliseconds(), "lora", "malformed", 0, 0, read.Error!));
                return;
            }

            var up = read.Uplink!;
            if (Commissioning is not null && Gateway.Cloud.Commissioning.LoRaCommissioningIngest.Handles(up.FPort))
            {
                _loraCommissioning ??= new Gateway.Cloud.Commissioning.LoRaCommissioningIngest(Commissioning);
                var record = _loraCommissioning.Add(up, out var fragmentError);
                _log(record is null ? $"commissioning fragment {m.Topic}: {fragmentError ?? "waiting for the rest"}" : $"commissioning {m.Topic}: {record.Message}");
                return;
            }

            var lora = _receiver.Ingest("lora", up.Payload, up.ReceivedAt.ToUnixTimeMilliseconds());
            Account(m.Topic, lora);
            foreach (var ack in lora.AckDownlinks)
            {
                if (chirp)
                {
                    var app = ChirpStackEvents.ApplicationIdFromTopic(m.Topic) ?? "unknown";
                    Send(ChirpStackEvents.DownlinkTopic(app, up.DevEui), Encoding.UTF8.GetBytes(ChirpStackEvents.DownlinkJson(up.DevEui, 10, ack)));
                }
                else
                {
                    var appAtTenant = parts[1];
                    var deviceId = parts[3];
                    Send(TheThingsStackEvents.DownlinkTopic(appAtTenant, deviceId), Encoding.UTF8.GetBytes(TheThingsStackEvents.DownlinkJson(10, ack)));
                }
            }
        }

        private void Account(string topic, IngestOutcome outcome)
        {
            Interlocked.Add(ref _stored, outcome.Stored);
            if (!outcome.Accepted)
            {
                Interlocked.Increment(ref _rejected);
                _log($"rejected {topic}: {CloudReceiver.Kind(outcome.Verdict)}: {outcome.Message}");
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Stop(TimeSpan.FromSeconds(10));
            _probed.Dispose();
        }
    }
}
