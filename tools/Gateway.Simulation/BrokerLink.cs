using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Time;

namespace Gateway.Simulation
{
    /// <summary>
    /// The simulated operators' side of a real MQTT broker: one client connection carries every simulated gateway's
    /// topics (<c>gw/{id}/up</c> out, <c>gw/{id}/ack</c> and <c>gw/{id}/down</c> in), so a thousand gateways do not
    /// need a thousand sockets on a laptop, and the virtual LoRaWAN network server's ChirpStack integration
    /// (<c>application/{app}/device/{devEui}/event/up</c> out, <c>.../command/down</c> in). Each gateway still has its
    /// own topics and acknowledgements. With a clock topic, the simulated time goes out before each uplink, so the
    /// receiver stamps arrivals in simulated time.
    /// </summary>
    public sealed class BrokerLink : IDisposable
    {
        /// <summary>The ChirpStack downlink command topics the virtual network server takes.</summary>
        public const string ChirpStackDownFilter = "application/+/device/+/command/down";

        private readonly MosquittoClient _client;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Topic, byte[] Payload)>> _downlinks = new();
        private readonly ConcurrentDictionary<string, Func<string, byte[], bool>> _listeners = new();
        private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _networkCommands = new();
        private long _received;
        private long _published;
        private long _commands;
        private long _lastClockMs = long.MinValue;
        private long _awaitingAnswer;
        private long _answers;

        /// <summary>Connects to the broker.</summary>
        public BrokerLink(string host, int port, string? user, string? password, string clientId, string? clockTopic = null, UplinkLedger? ledger = null)
        {
            ClockTopic = clockTopic;
            Ledger = ledger;
            _client = new MosquittoClient(clientId, cleanSession: true);
            if (user != null)
            {
                _client.SetCredentials(user, password ?? string.Empty);
            }

            _client.MessageReceived += m =>
            {
                var parts = m.Topic.Split('/');
                if (parts.Length == 3 && parts[0] == "gw" && (parts[2] == "ack" || parts[2] == "down"))
                {
                    // A connected modem session takes it at once; otherwise it waits here for the device.
                    if (parts[2] == "ack" && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var device))
                    {
                        Ledger?.OnAck(device, m.Payload);
                        Interlocked.Increment(ref _answers);
                    }

                    if (!(_listeners.TryGetValue(parts[1], out var listener) && listener(m.Topic, m.Payload)))
                    {
                        _downlinks.GetOrAdd(parts[1], _ => new ConcurrentQueue<(string, byte[])>()).Enqueue((m.Topic, m.Payload));
                    }

                    Interlocked.Increment(ref _received);
                }
                else if (parts.Length == 6 && parts[0] == "application" && parts[4] == "command" && parts[5] == "down")
                {
                    _networkCommands.Enqueue((m.Topic, m.Payload));
                    Interlocked.Increment(ref _commands);
                    Interlocked.Increment(ref _answers);
                }
            };
            _client.Subscribe("gw/+/ack", MqttTopics.Qos);
            _client.Subscribe("gw/+/down", MqttTopics.Qos);
            _client.Subscribe(ChirpStackDownFilter, MqttTopics.Qos);
            _client.Start(host, port);
            if (!_client.WaitConnected(TimeSpan.FromSeconds(10)))
            {
                _client.Dispose();
                throw new InvalidOperationException($"could not connect to the MQTT broker at {host}:{port}");
            }
        }

        /// <summary>The topic the simulated time goes out on, or null.</summary>
        public string? ClockTopic { get; }

        /// <summary>Downlinks received so far on gateways' topics.</summary>
        public long DownlinksReceived => Interlocked.Read(ref _received);

        /// <summary>Network-server downlink commands received so far.</summary>
        public long NetworkCommandsReceived => Interlocked.Read(ref _commands);

        /// <summary>Messages published for the receiver (uplinks, integration events, attacks; not clock ticks) and acknowledged by the broker.</summary>
        public long Published => Interlocked.Read(ref _published);

        /// <summary>True while connected.</summary>
        public bool IsConnected => _client.IsConnected;

        /// <summary>The ledger of uplinks and acknowledgements, or null.</summary>
        public UplinkLedger? Ledger { get; }

        /// <summary>
        /// Gateway messages the broker accepted that may still await the receivers (published minus answers seen) above
        /// which a publish waits: the receivers acknowledge to the broker only what is durable, so the broker holds the
        /// backlog, and a stock mosquitto keeps at most 1000 messages per session (max_queued_messages) and drops the rest.
        /// 0: no limit.
        /// </summary>
        public int MaxAwaitingAnswer { get; set; } = 400;

        /// <summary>Times a publish waited for the receivers to catch up (<see cref="MaxAwaitingAnswer"/>).</summary>
        public long BackpressureWaits { get; private set; }

        /// <summary>Publishes a message for one receiver instance (a fence on its private topic); not counted as a message for the receivers.</summary>
        public bool PublishControl(string topic, byte[] payload) => _client.Publish(topic, payload, MqttTopics.Qos, false, TimeSpan.FromSeconds(5));

        /// <summary>
        /// Puts the simulated time on the clock topic when it moved forward (QoS 1, after the broker's acknowledgement),
        /// before a message another client publishes for the receiver (a gateway's own modem). False when it could not.
        /// </summary>
        public bool PublishClock(long simulatedNowMs)
        {
            if (ClockTopic != null && simulatedNowMs > _lastClockMs)
            {
                // Retained: a receiver restarted mid-run learns the simulated time before it handles anything.
                if (!_client.Publish(ClockTopic, Encoding.ASCII.GetBytes(simulatedNowMs.ToString(CultureInfo.InvariantCulture)), MqttTopics.Qos, true, TimeSpan.FromSeconds(5)))
                {
                    return false;
                }

                _lastClockMs = simulatedNowMs;
            }

            return true;
        }

        /// <summary>
        /// Publishes a message for the receiver on a topic (QoS 1, waits for the broker's acknowledgement), after the
        /// simulated time. A gateway's own message (<paramref name="fromGateway"/>, not an attacker's) is expected to be
        /// answered (unless <paramref name="expectAnswer"/> is false: a DR2 fragment that completes no batch); it goes in the
        /// ledger and, when an answer is expected, counts towards <see cref="MaxAwaitingAnswer"/>.
        /// </summary>
        public bool Publish(string topic, byte[] payload, long simulatedNowMs = long.MinValue, bool fromGateway = true, bool expectAnswer = true)
        {
            expectAnswer &= fromGateway;
            if (expectAnswer)
            {
                HoldBack();
            }

            if (!PublishClock(simulatedNowMs))
            {
                return false;
            }

            if (!_client.Publish(topic, payload, MqttTopics.Qos, false, TimeSpan.FromSeconds(5)))
            {
                return false;
            }

            Interlocked.Increment(ref _published);
            if (expectAnswer)
            {
                Interlocked.Increment(ref _awaitingAnswer);
            }

            if (fromGateway)
            {
                if (topic.StartsWith("gw/", StringComparison.Ordinal) && topic.EndsWith("/up", StringComparison.Ordinal))
                {
                    Ledger?.OnUplink(CloudReceiver.DeviceFromTopic(topic), payload, simulatedNowMs);
                }
            }

            return true;
        }

        private void HoldBack()
        {
            if (MaxAwaitingAnswer <= 0 || Interlocked.Read(ref _awaitingAnswer) - Interlocked.Read(ref _answers) < MaxAwaitingAnswer)
            {
                return;
            }

            BackpressureWaits++;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (Interlocked.Read(ref _awaitingAnswer) - Interlocked.Read(ref _answers) >= MaxAwaitingAnswer / 2 && sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(2);
            }
        }

        /// <summary>Takes the oldest downlink for a device, or null.</summary>
        public byte[]? TakeDownlink(uint deviceId) => TakeDownlink(deviceId.ToString(CultureInfo.InvariantCulture), out _);

        /// <summary>Takes the oldest downlink kept for device <paramref name="deviceId"/> and its topic, or null.</summary>
        public byte[]? TakeDownlink(string deviceId, out string topic)
        {
            if (_downlinks.TryGetValue(deviceId, out var q) && q.TryDequeue(out var d))
            {
                topic = d.Topic;
                return d.Payload;
            }

            topic = string.Empty;
            return null;
        }

        /// <summary>
        /// Hands device <paramref name="deviceId"/>'s downlinks (topic, payload) to <paramref name="listener"/> as they
        /// arrive (from the client's thread); one it refuses (false) is kept for <see cref="TakeDownlink(string, out string)"/>.
        /// </summary>
        public void SetListener(string deviceId, Func<string, byte[], bool> listener) => _listeners[deviceId] = listener;

        /// <summary>Takes the oldest network-server downlink command (topic, JSON body), or false.</summary>
        public bool TryTakeNetworkCommand(out string topic, out byte[] payload)
        {
            if (_networkCommands.TryDequeue(out var c))
            {
                (topic, payload) = c;
                return true;
            }

            topic = string.Empty;
            payload = Array.Empty<byte>();
            return false;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (ClockTopic != null && _client.IsConnected)
            {
                _client.Publish(ClockTopic, Array.Empty<byte>(), MqttTopics.Qos, true, TimeSpan.FromSeconds(2)); // the retained clock goes with the run
            }

            _client.Dispose();
        }
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

            _clock.Advance(300); // connect, publish, PUBACK on LTE-M: the publish reaches the broker at the end of it
            if (!_link.Publish(_upTopic, data.AsSpan(offset, count).ToArray(), _clock.WallTimeMs))
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
