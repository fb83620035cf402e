using System;
using System.Collections.Generic;

namespace Gateway.Virtual.Cellular
{
    /// <summary>
    /// The modem's MQTT side without a broker, in process and in virtual time: a publish on a topic goes to
    /// <see cref="Cloud"/> (the cloud receiver) half a round trip later, unless lost; the messages the cloud answers
    /// with reach the modem a full round trip after the publish, on the topics this client subscribed to (the broker
    /// drops the others). The broker's PUBACK, and so the modem's OK, also takes the round trip. Subscriptions persist
    /// across sessions unless the session is clean (CLEANSS 1), as a broker's persistent session keeps them.
    /// Loss is on the way up only, after the broker's PUBACK (a publish is not delivery: the gateway resends when no
    /// acknowledgement comes). Coverage and outages are the modem's (<see cref="VirtualSim7080.CoverageSchedule"/>).
    /// </summary>
    public sealed class InProcessMqttSide : IModemMqttSide
    {
        /// <summary>Round trip of a publish and its PUBACK over LTE-M, ms (virtual).</summary>
        public const int DefaultRoundTripMs = 300;

        private readonly Func<long> _wallNow;
        private readonly Random _random;
        private readonly Dictionary<string, HashSet<string>> _subscriptions = new(StringComparer.Ordinal);

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

        /// <summary>Probability that a published message never reaches the cloud.</summary>
        public double Loss { get; }

        /// <summary>Round trip, ms (virtual).</summary>
        public int RoundTripMs { get; }

        /// <summary>Sessions connected.</summary>
        public int Sessions { get; private set; }

        /// <summary>Messages published (PUBACK given).</summary>
        public int Publishes { get; private set; }

        /// <summary>Payload bytes published.</summary>
        public long BytesPublished { get; private set; }

        /// <summary>Published messages lost before the cloud.</summary>
        public int Lost { get; private set; }

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
                if (_side.Loss > 0 && _side._random.NextDouble() < _side.Loss)
                {
                    _side.Lost++;
                    return true;
                }

                long receivedAt = _side._wallNow() + (_side.RoundTripMs / 2);
                foreach (var (t, p) in _side.Cloud(topic, (byte[])payload.Clone(), receivedAt))
                {
                    if (_subs != null && _subs.Contains(t))
                    {
                        _side.Delivered++;
                        _deliver(new ModemMqttMessage(t, p, _side.RoundTripMs));
                    }
                    else
                    {
                        _side.NotSubscribed++;
                    }
                }

                return true;
            }

            public void Dispose() => IsConnected = false;
        }
    }
}
