using System;
using System.Collections.Generic;

namespace Gateway.Virtual.Cellular
{
    /// <summary>
    /// The modem's MQTT side without a broker, in process and in virtual time: a publish on a topic goes to
    /// <see cref="Cloud"/> (the cloud receiver) half a round trip later, unless lost; the messages the cloud answers
    /// with reach the modem a full round trip after the publish, on the topics this client subscribed to (the broker
    /// drops the others). The broker's PUBACK, and so the modem's OK, also takes the round trip. A persistent session
    /// (CLEANSS 0) keeps its subscriptions and the messages for them that come while the modem is not connected; they
    /// arrive half a round trip after the next connect.
    /// Loss: MQTT runs over TCP, so a lost packet is not a lost message but a stalled connection. With probability
    /// <see cref="Loss"/> a publish breaks the connection: no PUBACK, the modem answers ERROR after
    /// <see cref="BrokenPublishMs"/> and reports the session closed; the message reached the cloud or not, at even
    /// odds (the gateway cannot tell, resends, and the cloud drops the copy). Coverage and outages are the modem's
    /// (<see cref="VirtualSim7080.CoverageSchedule"/>).
    /// </summary>
    public sealed class InProcessMqttSide : IModemMqttSide
    {
        /// <summary>Round trip of a publish and its PUBACK over LTE-M, ms (virtual).</summary>
        public const int DefaultRoundTripMs = 300;

        private readonly Func<long> _wallNow;
        private readonly Random _random;
        private readonly Dictionary<string, HashSet<string>> _subscriptions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Queue<(string Topic, byte[] Payload)>> _queued = new(StringComparer.Ordinal);

        /// <summary>Time from a publish that breaks the connection to the modem's ERROR, ms (virtual).</summary>
        public const int BrokenPublishMs = 5000;

        /// <summary>
        /// Creates the side: <paramref name="cloud"/> takes (topic, payload, received at Unix ms) and returns the
        /// messages it publishes in answer (topic, payload); <paramref name="wallNow"/> is the modem's wall clock.
        /// </summary>
        public InProcessMqttSide(Func<long> wallNow, Func<string, byte[], long, IEnumerable<(string Topic, byte[] Payload)>> cloud,
            double loss = 0, int seed = 1, int roundTripMs = DefaultRoundTripMs)
        {
            _wallNow = wallNow;
            Cloud = cloud;
            Loss = loss;
            _random = new Random(seed);
            RoundTripMs = roundTripMs;
        }

        /// <summary>The cloud end: (topic, payload, received at Unix ms) → messages published in answer.</summary>
        public Func<string, byte[], long, IEnumerable<(string Topic, byte[] Payload)>> Cloud { get; }

        /// <summary>Probability that a publish breaks the connection (the message then reaches the cloud at even odds).</summary>
        public double Loss { get; }

        /// <summary>Round trip, ms (virtual).</summary>
        public int RoundTripMs { get; }

        /// <summary>Sessions connected.</summary>
        public int Sessions { get; private set; }

        /// <summary>Messages published (PUBACK given).</summary>
        public int Publishes { get; private set; }

        /// <summary>Payload bytes published.</summary>
        public long BytesPublished { get; private set; }

        /// <summary>Publishes that broke the connection (no PUBACK).</summary>
        public int Broken { get; private set; }

        /// <summary>Messages of those that never reached the cloud.</summary>
        public int Lost { get; private set; }

        /// <summary>Messages the broker kept for a persistent session while the modem was not connected, delivered at its next connect.</summary>
        public int DeliveredLater { get; private set; }

        /// <summary>Messages handed to the modem (on a subscribed topic).</summary>
        public int Delivered { get; private set; }

        /// <summary>Messages the cloud published that no subscription of the modem's took (e.g. the hex twins when SUBHEX is on).</summary>
        public int NotSubscribed { get; private set; }

        /// <inheritdoc />
        public IModemMqttSession Create(ModemMqttConnect parameters, Action<ModemMqttMessage> deliver) => new Session(this, parameters, deliver);

        private sealed class Session : IModemMqttSession
        {
            private readonly InProcessMqttSide _side;
            private readonly ModemMqttConnect _p;
            private readonly Action<ModemMqttMessage> _deliver;
            private HashSet<string>? _subs;

            public Session(InProcessMqttSide side, ModemMqttConnect p, Action<ModemMqttMessage> deliver)
            {
                _side = side;
                _p = p;
                _deliver = deliver;
            }

            public bool IsConnected { get; private set; }

            public bool Connect()
            {
                if (_p.CleanSession || !_side._subscriptions.TryGetValue(_p.ClientId, out _subs))
                {
                    _subs = new HashSet<string>(StringComparer.Ordinal);
                    _side._subscriptions[_p.ClientId] = _subs;
                }

                IsConnected = true;
                _side.Sessions++;
                if (!_p.CleanSession && _side._queued.Remove(_p.ClientId, out var queued))
                {
                    foreach (var (t, p) in queued)
                    {
                        _side.DeliveredLater++;
                        _side.Delivered++;
                        _deliver(new ModemMqttMessage(t, p, _side.RoundTripMs / 2));
                    }
                }
                else
                {
                    _side._queued.Remove(_p.ClientId);
                }

                return true;
            }

            public void Subscribe(string topic, int qos) => _subs?.Add(topic);

            public void Unsubscribe(string topic) => _subs?.Remove(topic);

            public bool Publish(string topic, byte[] payload, int qos, bool retain, out long ackDelayMs)
            {
                ackDelayMs = _side.RoundTripMs;
                if (!IsConnected)
                {
                    return false;
                }

                _side.Publishes++;
                _side.BytesPublished += payload.Length;
                bool broken = _side.Loss > 0 && _side._random.NextDouble() < _side.Loss;
                if (broken)
                {
                    _side.Broken++;
                    IsConnected = false;
                    ackDelayMs = BrokenPublishMs;
                    if (_side._random.Next(2) == 0)
                    {
                        _side.Lost++;
                        return false;
                    }
                }

                long receivedAt = _side._wallNow() + (_side.RoundTripMs / 2);
                foreach (var (t, p) in _side.Cloud(topic, (byte[])payload.Clone(), receivedAt))
                {
                    if (_subs == null || !_subs.Contains(t))
                    {
                        _side.NotSubscribed++;
                    }
                    else if (IsConnected)
                    {
                        _side.Delivered++;
                        _deliver(new ModemMqttMessage(t, p, _side.RoundTripMs));
                    }
                    else if (!_p.CleanSession)
                    {
                        // The broker keeps it for the persistent session until the modem connects again.
                        if (!_side._queued.TryGetValue(_p.ClientId, out var q))
                        {
                            q = new Queue<(string, byte[])>();
                            _side._queued[_p.ClientId] = q;
                        }

                        q.Enqueue((t, p));
                    }
                }

                return !broken;
            }

            public void Dispose() => IsConnected = false;
        }
    }
}
