using System;
using System.Text;
using Gateway.Cloud.Ingest;
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
    /// <param name="ClientId">Client id (unique per receiver instance).</param>
    public sealed record MqttReceiverSettings(string Host, int Port, string? Username, string? Password, string? ShareGroup, string ClientId);

    /// <summary>
    /// The receiver on a real MQTT broker: gateways' batches from <c>gw/+/up</c> (cellular, Wi-Fi), and LoRaWAN
    /// network servers' uplink events (ChirpStack v4, The Things Stack v3). Each message is verified, stored once and
    /// acknowledged on the path it came from: <c>gw/{id}/ack</c>, or the network server's downlink command topic.
    /// Everything rejected is logged with its reason and stored in the audit trail, never in the readings.
    /// The session is persistent (QoS 1, clean session off), so messages published while the receiver restarts are
    /// delivered when it returns; (device, sequence) deduplication makes redelivery harmless.
    /// </summary>
    public sealed class MqttReceiverService : IDisposable
    {
        private readonly CloudReceiver _receiver;
        private readonly MosquittoClient _client;
        private readonly object _gate = new();
        private readonly Action<string> _log;
        private readonly System.Collections.Concurrent.BlockingCollection<MqttMessage> _inbox = new(100_000);
        private readonly System.Threading.Thread _worker;

        /// <summary>Creates the service (not yet connected).</summary>
        public MqttReceiverService(CloudReceiver receiver, MqttReceiverSettings settings, Action<string>? log = null)
        {
            _receiver = receiver;
            _log = log ?? (_ => { });
            _client = new MosquittoClient(settings.ClientId, cleanSession: false);
            if (settings.Username != null)
            {
                _client.SetCredentials(settings.Username, settings.Password ?? string.Empty);
            }

            // The client's network thread only queues: handling publishes acknowledgements and waits for the broker's
            // PUBACK, which that same thread must be free to read.
            _client.MessageReceived += m => _inbox.Add(m);
            _worker = new System.Threading.Thread(Work) { IsBackground = true, Name = "gateway-receiver" };
            _worker.Start();
            Settings = settings;
        }

        /// <summary>The settings.</summary>
        public MqttReceiverSettings Settings { get; }

        /// <summary>Messages handled.</summary>
        public long Messages { get; private set; }

        /// <summary>Messages rejected (malformed envelopes, forged, replayed-nothing-new, unknown devices).</summary>
        public long Rejected { get; private set; }

        /// <summary>Readings newly stored.</summary>
        public long Stored { get; private set; }

        /// <summary>True while connected.</summary>
        public bool IsConnected => _client.IsConnected;

        /// <summary>Connects and subscribes; returns false when the broker could not be reached in time.</summary>
        public bool Start(TimeSpan timeout)
        {
            _client.Start(Settings.Host, Settings.Port);
            if (!_client.WaitConnected(timeout))
            {
                return false;
            }

            foreach (var filter in new[] { "gw/+/up", ChirpStackEvents.UplinkTopicFilter, TheThingsStackEvents.UplinkTopicFilter })
            {
                _client.Subscribe(Settings.ShareGroup is null ? filter : $"$share/{Settings.ShareGroup}/{filter}", MqttTopics.Qos);
            }

            if (Commissioning is not null)
            {
                _client.Subscribe(Settings.ShareGroup is null ? "gw/+/commission" : $"$share/{Settings.ShareGroup}/gw/+/commission", MqttTopics.Qos);
            }

            return true;
        }

        /// <summary>When set (before <see cref="Start"/>): commissioning records on gw/+/commission are verified and stored by it.</summary>
        public Gateway.Cloud.Commissioning.CommissioningVerifier? Commissioning { get; set; }

        private Gateway.Cloud.Commissioning.LoRaCommissioningIngest? _loraCommissioning;

        /// <summary>Messages received but not yet handled.</summary>
        public int Backlog => _inbox.Count;

        private void Work()
        {
            foreach (var m in _inbox.GetConsumingEnumerable())
            {
                OnMessage(m);
            }
        }

        private void OnMessage(MqttMessage m)
        {
            lock (_gate)
            {
                Messages++;
                try
                {
                    Handle(m);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Rejected++;
                    _log($"rejected {m.Topic}: receiver error {ex.Message}");
                }
            }
        }

        private void Handle(MqttMessage m)
        {
            var now = DateTimeOffset.UtcNow;
            var parts = m.Topic.Split('/');
            if (parts.Length == 3 && parts[0] == "gw" && parts[2] == "up")
            {
                var outcome = _receiver.Ingest("cellular", m.Payload, now.ToUnixTimeMilliseconds());
                Account(m.Topic, outcome);
                if (outcome.Accepted && outcome.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) != parts[1])
                {
                    _log($"note {m.Topic}: batch of device {outcome.DeviceId} arrived on another device's topic");
                }

                foreach (var ack in outcome.AckDownlinks)
                {
                    _client.Publish(MqttTopics.Ack(outcome.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ack, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));
                }

                return;
            }

            if (parts.Length == 3 && parts[0] == "gw" && parts[2] == "commission" && Commissioning is not null)
            {
                var record = Commissioning.Ingest("cellular", m.Payload, now.ToUnixTimeMilliseconds());
                Rejected += record.Accepted ? 0 : 1;
                _log((record.Accepted ? "commissioning " : "rejected ") + m.Topic + ": " + record.Message);
                return;
            }

            var chirp = m.Topic.StartsWith("application/", StringComparison.Ordinal);
            var read = chirp ? ChirpStackEvents.ReadUplink(m.Payload, now) : TheThingsStackEvents.ReadUplink(m.Payload, now);
            if (!read.Ok)
            {
                Rejected++;
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
                    _client.Publish(ChirpStackEvents.DownlinkTopic(app, up.DevEui), Encoding.UTF8.GetBytes(ChirpStackEvents.DownlinkJson(up.DevEui, 10, ack)), 1, false, TimeSpan.FromSeconds(5));
                }
                else
                {
                    var appAtTenant = m.Topic.Split('/')[1];
                    var deviceId = m.Topic.Split('/')[3];
                    _client.Publish(TheThingsStackEvents.DownlinkTopic(appAtTenant, deviceId), Encoding.UTF8.GetBytes(TheThingsStackEvents.DownlinkJson(10, ack)), 1, false, TimeSpan.FromSeconds(5));
                }
            }
        }

        private void Account(string topic, IngestOutcome outcome)
        {
            Stored += outcome.Stored;
            if (!outcome.Accepted)
            {
                Rejected++;
                _log($"rejected {topic}: {CloudReceiver.Kind(outcome.Verdict)}: {outcome.Message}");
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _inbox.CompleteAdding();
            _worker.Join(TimeSpan.FromSeconds(30));
            _client.Dispose();
        }
    }
}
