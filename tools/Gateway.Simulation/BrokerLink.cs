using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Time;

namespace Gateway.Simulation
{
    /// <summary>
    /// The simulated cellular operator's side of a real MQTT broker: one client connection carries every simulated
    /// gateway's topics (<c>gw/{id}/up</c> out, <c>gw/{id}/ack</c> and <c>gw/{id}/down</c> in), so a thousand
    /// gateways do not need a thousand sockets on a laptop. Each gateway still has its own topics and acknowledgements.
    /// </summary>
    public sealed class BrokerLink : IDisposable
    {
        private readonly MosquittoClient _client;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _downlinks = new();

        /// <summary>Connects to the broker.</summary>
        public BrokerLink(string host, int port, string? user, string? password, string clientId)
        {
            _client = new MosquittoClient(clientId, cleanSession: false);
            if (user != null)
            {
                _client.SetCredentials(user, password ?? string.Empty);
            }

            _client.MessageReceived += m =>
            {
                var parts = m.Topic.Split('/');
                if (parts.Length == 3 && parts[0] == "gw" && (parts[2] == "ack" || parts[2] == "down"))
                {
                    _downlinks.GetOrAdd(parts[1], _ => new ConcurrentQueue<byte[]>()).Enqueue(m.Payload);
                    Interlocked.Increment(ref _received);
                }
            };
            _client.Start(host, port);
            if (!_client.WaitConnected(TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException($"could not connect to the MQTT broker at {host}:{port}");
            }

            _client.Subscribe("gw/+/ack", MqttTopics.Qos);
            _client.Subscribe("gw/+/down", MqttTopics.Qos);
        }

        private long _received;

        /// <summary>Downlinks received so far.</summary>
        public long DownlinksReceived => Interlocked.Read(ref _received);

        /// <summary>True while connected.</summary>
        public bool IsConnected => _client.IsConnected;

        /// <summary>Publishes on a topic (QoS 1, waits for the broker's acknowledgement).</summary>
        public bool Publish(string topic, byte[] payload) => _client.Publish(topic, payload, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));

        /// <summary>Takes the oldest downlink for a device, or null.</summary>
        public byte[]? TakeDownlink(uint deviceId) =>
            _downlinks.TryGetValue(deviceId.ToString(CultureInfo.InvariantCulture), out var q) && q.TryDequeue(out var d) ? d : null;

        /// <inheritdoc />
        public void Dispose() => _client.Dispose();
    }

    /// <summary>One gateway's cellular path through the shared broker link (outages still apply).</summary>
    public sealed class BrokerTransport : IUplinkTransport
    {
        private readonly BrokerLink _link;
        private readonly uint _deviceId;
        private readonly string _upTopic;
        private readonly VirtualClock _clock;
        private readonly List<(long Start, long End)> _outages;

        /// <summary>Creates the transport.</summary>
        public BrokerTransport(BrokerLink link, uint deviceId, VirtualClock clock, List<(long Start, long End)> outages)
        {
            _link = link;
            _deviceId = deviceId;
            _upTopic = MqttTopics.Up(deviceId.ToString(CultureInfo.InvariantCulture));
            _clock = clock;
            _outages = outages;
        }

        /// <summary>Payload bytes published.</summary>
        public long BytesSent { get; private set; }

        /// <inheritdoc />
        public string Name => "mqtt-lte";

        /// <inheritdoc />
        public bool IsAvailable => _link.IsConnected && !InOutage();

        /// <inheritdoc />
        public int MaxPayloadNow => IsAvailable ? 1024 : 0;

        /// <inheritdoc />
        public bool EnsureReady() => IsAvailable;

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (!IsAvailable)
            {
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }

            _clock.Advance(300);
            if (!_link.Publish(_upTopic, data.AsSpan(offset, count).ToArray()))
            {
                return new UplinkResult(UplinkStatus.Failed, 0);
            }

            BytesSent += count;
            return new UplinkResult(UplinkStatus.Sent, 0);
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            channel = MqttTopics.AckChannel;
            var d = _link.TakeDownlink(_deviceId);
            if (d is null || d.Length > capacity)
            {
                return -1;
            }

            d.CopyTo(buffer, offset);
            return d.Length;
        }

        private bool InOutage() => OutageWindows.Contains(_outages, _clock.WallTimeMs);
    }
}
