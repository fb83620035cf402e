using System;
using System.Collections.Concurrent;
using Gateway.Core.Uplink;

namespace Gateway.Virtual.Mqtt
{
    /// <summary>
    /// MQTT as an <see cref="IUplinkTransport"/> on the host, over <see cref="MosquittoClient"/> and a real broker:
    /// batches on gw/{deviceId}/up with QoS 1 (sent = the broker's PUBACK arrived), acknowledgements and commands
    /// from gw/{deviceId}/ack and gw/{deviceId}/down queued for <see cref="PollDownlink"/>. The device uses the same
    /// topics through nanoFramework.M2Mqtt (hardware/Esp32/Uplink).
    /// </summary>
    public sealed class MosquittoTransport : IUplinkTransport, IDisposable
    {
        private readonly MosquittoClient _client;
        private readonly string _deviceId;
        private readonly string _upTopic;
        private readonly ConcurrentQueue<(int channel, byte[] payload)> _downlinks = new();

        /// <summary>Connects (in the background) to <paramref name="host"/>:<paramref name="port"/> as gateway <paramref name="deviceId"/>.</summary>
        public MosquittoTransport(string deviceId, string host, int port, string username, string password, int maxPayloadBytes = 1024)
        {
            _deviceId = deviceId;
            _upTopic = MqttTopics.Up(deviceId);
            MaxPayloadBytes = maxPayloadBytes;
            _client = new MosquittoClient("gw-" + deviceId, cleanSession: false);
            _client.SetCredentials(username, password);
            _client.SetReconnectDelay(1, 8, exponential: true);
            _client.MessageReceived += m =>
            {
                int channel = MqttTopics.ChannelOf(m.Topic, _deviceId);
                if (channel != 0)
                {
                    _downlinks.Enqueue((channel, m.Payload));
                }
            };
            _client.Subscribe(MqttTopics.Ack(deviceId), MqttTopics.Qos);
            _client.Subscribe(MqttTopics.Down(deviceId), MqttTopics.Qos);
            _client.Start(host, port);
        }

        /// <summary>Largest batch published, bytes.</summary>
        public int MaxPayloadBytes { get; }

        /// <summary>How long <see cref="Send"/> waits for the broker's PUBACK.</summary>
        public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>The underlying client.</summary>
        public MosquittoClient Client => _client;

        /// <inheritdoc />
        public string Name => "mqtt";

        /// <inheritdoc />
        public bool IsAvailable => _client.IsConnected;

        /// <inheritdoc />
        public int MaxPayloadNow => _client.IsConnected ? MaxPayloadBytes : 0;

        /// <inheritdoc />
        public bool EnsureReady() => _client.WaitConnected(TimeSpan.FromSeconds(3));

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (count > MaxPayloadBytes)
            {
                return new UplinkResult(UplinkStatus.TooLarge, 0);
            }

            if (!_client.IsConnected)
            {
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }

            var payload = data.AsSpan(offset, count).ToArray();
            return _client.Publish(_upTopic, payload, MqttTopics.Qos, retain: false, AckTimeout)
                ? new UplinkResult(UplinkStatus.Sent, 0)
                : new UplinkResult(UplinkStatus.Failed, 0);
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            channel = 0;
            if (!_downlinks.TryPeek(out var d) || d.payload.Length > capacity)
            {
                return -1;
            }

            _downlinks.TryDequeue(out d);
            d.payload.CopyTo(buffer, offset);
            channel = d.channel;
            return d.payload.Length;
        }

        /// <inheritdoc />
        public void Dispose() => _client.Dispose();
    }
}
