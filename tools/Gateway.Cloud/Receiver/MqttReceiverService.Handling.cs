using System;
using System.Globalization;
using System.Text;
using System.Threading;
using Gateway.Cloud.Ingest;
using Gateway.Core.Uplink;

namespace Gateway.Cloud.Receiver
{
    /// <summary>What one message is: a gateway's batch, a commissioning record, a network server's uplink event; and the answers.</summary>
    public sealed partial class MqttReceiverService
    {
        private Gateway.Cloud.Commissioning.LoRaCommissioningIngest? _loraCommissioning;
        private LoRaBatchAssembler? _loraBatches;

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
        /// and its hex twin (<see cref="DownlinkPublications"/>), QoS 1, and returns once the broker has accepted both;
        /// throws when it could not (not connected, refused).
        /// </summary>
        public void SendDownlink(string deviceId, int channel, byte[] payload)
        {
            foreach (var (topic, data) in DownlinkPublications(deviceId, channel, payload))
            {
                Send(topic, data);
            }
        }

        /// <summary>Publishes a retained message (QoS 1), e.g. the transparency log's latest checkpoint; throws when it could not.</summary>
        public void PublishRetained(string topic, byte[] payload)
        {
            if (!_client.IsConnected)
            {
                throw new InvalidOperationException("not connected to the broker");
            }

            Publish(topic, payload, retain: true);
        }

        private void Send(string topic, byte[] payload)
        {
            if (!_client.IsConnected)
            {
                throw new InvalidOperationException("not connected to the broker");
            }

            Publish(topic, payload, retain: false);
        }

        /// <summary>
        /// Handles one message other than a gateway's batch (those are committed in groups: FlushUplinks); returns once
        /// what it carried is committed and its answers accepted by the broker, or throws.
        /// </summary>
        private void Handle(Inbound m)
        {
            var now = Now();
            var parts = m.Topic.Split('/');
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
                LogRejected(m.Topic, read.Error!);
                _receiver.Store.CountJunk(new[] { new Storage.JunkCount(m.Topic, "lora", "malformed", now.ToUnixTimeMilliseconds(), 1, 0, 0, 0, read.Error!) });
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

            // Fragments are kept in the receivers' database when it has them (several receivers, restarts), else here.
            _loraBatches ??= new LoRaBatchAssembler(_receiver.Store as IFragmentStore ?? new MemoryFragmentStore());
            var payload = _loraBatches.Take(up);
            if (payload.Error is not null)
            {
                Interlocked.Increment(ref _rejected);
                LogRejected(m.Topic, payload.Error);
                _receiver.Store.CountJunk(new[] { new Storage.JunkCount(m.Topic, "lora", "malformed", now.ToUnixTimeMilliseconds(), 1, 0, 0, 0, payload.Error) });
                return;
            }

            if (payload.Batch is null)
            {
                return; // a fragment: the batch is verified when its last fragment arrives
            }

            var lora = _receiver.Ingest("lora", payload.Batch, up.ReceivedAt.ToUnixTimeMilliseconds(), m.Topic);
            _loraBatches.Stored(payload);
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

        /// <summary>A gateway's batch, committed: counted, and its acknowledgements published (throws when they could not be).</summary>
        private void Answer(string topic, IngestOutcome outcome)
        {
            Account(topic, outcome);
            var parts = topic.Split('/');
            if (outcome.Accepted && outcome.DeviceId.ToString(CultureInfo.InvariantCulture) != parts[1])
            {
                _log($"note {topic}: batch of device {outcome.DeviceId} arrived on another device's topic");
            }

            foreach (var ack in outcome.AckDownlinks)
            {
                SendDownlink(outcome.DeviceId.ToString(CultureInfo.InvariantCulture), MqttTopics.AckChannel, ack);
            }
        }

        private void Account(string topic, IngestOutcome outcome)
        {
            Interlocked.Add(ref _stored, outcome.Stored);
            if (!outcome.Accepted)
            {
                Interlocked.Increment(ref _rejected);
                LogRejected(topic, $"{CloudReceiver.Kind(outcome.Verdict)}: {outcome.Message}");
            }
        }

        private readonly System.Collections.Generic.Dictionary<string, (long Minute, int Count)> _rejectedLog = new();

        /// <summary>
        /// One log line per topic and minute for rejected messages (the first, and at the next minute how many more):
        /// a junk flood must not fill the disk with log lines. The audit counts every one (per topic and minute).
        /// </summary>
        private void LogRejected(string topic, string reason)
        {
            var minute = Now().ToUnixTimeMilliseconds() / 60_000;
            lock (_rejectedLog)
            {
                if (_rejectedLog.TryGetValue(topic, out var seen) && seen.Minute == minute)
                {
                    _rejectedLog[topic] = (minute, seen.Count + 1);
                    return;
                }

                if (seen.Count > 1)
                {
                    _log($"rejected {topic}: {seen.Count - 1} more in the minute before");
                }

                if (_rejectedLog.Count > 10_000)
                {
                    _rejectedLog.Clear(); // a flood over many topics: forget, never grow without bound
                }

                _rejectedLog[topic] = (minute, 1);
            }

            _log($"rejected {topic}: {reason}");
        }
    }
}
