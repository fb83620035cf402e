using System;
using System.Collections.Generic;
using Gateway.Virtual.Cellular;

namespace Gateway.Simulation
{
    /// <summary>
    /// A gateway modem's MQTT side on the real broker, multiplexed over the operators' shared connection
    /// (<see cref="BrokerLink"/>), in the simulation's time: a publish goes to the broker on the gateway's own topic after
    /// the simulated arrival time on the clock topic (the receiver stamps the message with it), and its PUBACK takes the
    /// modelled LTE-M round trip in virtual time (the broker's own time is real and not counted). The broker's
    /// messages for the device reach the modem while a session is connected and subscribed to their topic; while none
    /// is, they wait (a persistent session) and arrive at the next connect. The link subscribes to the binary
    /// gw/+/ack and gw/+/down only: the modem needs SUBHEX (the emulator's default).
    /// </summary>
    public sealed class BrokerLinkMqttSide : IModemMqttSide
    {
        private readonly BrokerLink _link;
        private readonly string _deviceId;
        private readonly Func<long> _wallNow;
        private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private Session? _current;

        /// <summary>The side of device <paramref name="deviceId"/> on <paramref name="link"/>; <paramref name="wallNow"/> is its wall clock.</summary>
        public BrokerLinkMqttSide(BrokerLink link, string deviceId, Func<long> wallNow)
        {
            _link = link;
            _deviceId = deviceId;
            _wallNow = wallNow;
            _link.SetListener(deviceId, OnMessage);
        }

        /// <summary>Messages the broker acknowledged.</summary>
        public int Publishes { get; private set; }

        /// <summary>Messages that waited for the next connect.</summary>
        public int DeliveredLater { get; private set; }

        /// <inheritdoc />
        public IModemMqttSession Create(ModemMqttConnect parameters, Action<ModemMqttMessage> deliver) => new Session(this, parameters, deliver);

        private bool OnMessage(string topic, byte[] payload)
        {
            lock (_gate)
            {
                var s = _current;
                if (s is null || !s.IsConnected)
                {
                    return false; // kept for the next connect
                }

                if (_subscriptions.Contains(topic))
                {
                    s.Deliver(new ModemMqttMessage(topic, payload, 0));
                }

                return true;
            }
        }

        private sealed class Session : IModemMqttSession
        {
            private readonly BrokerLinkMqttSide _side;
            private readonly ModemMqttConnect _p;
            private readonly Action<ModemMqttMessage> _deliver;

            public Session(BrokerLinkMqttSide side, ModemMqttConnect p, Action<ModemMqttMessage> deliver)
            {
                _side = side;
                _p = p;
                _deliver = deliver;
            }

            public bool IsConnected { get; private set; }

            public void Deliver(ModemMqttMessage m) => _deliver(m);

            public bool Connect()
            {
                if (!_side._link.IsConnected)
                {
                    return false;
                }

                lock (_side._gate)
                {
                    if (_p.CleanSession)
                    {
                        _side._subscriptions.Clear();
                    }

                    _side._current = this;
                    IsConnected = true;

                    // What the broker kept for the persistent session while the modem was away.
                    while (_side._link.TakeDownlink(_side._deviceId, out var topic) is { } payload)
                    {
                        if (!_p.CleanSession && _side._subscriptions.Contains(topic))
                        {
                            _side.DeliveredLater++;
                            _deliver(new ModemMqttMessage(topic, payload, 0));
                        }
                    }
                }

                return true;
            }

            public void Subscribe(string topic, int qos)
            {
                lock (_side._gate)
                {
                    _side._subscriptions.Add(topic);
                }
            }

            public void Unsubscribe(string topic)
            {
                lock (_side._gate)
                {
                    _side._subscriptions.Remove(topic);
                }
            }

            public bool Publish(string topic, byte[] payload, int qos, bool retain, out long ackDelayMs)
            {
                ackDelayMs = InProcessMqttSide.DefaultRoundTripMs;
                if (!IsConnected || !_side._link.IsConnected)
                {
                    return false;
                }

                if (!_side._link.Publish(topic, payload, _side._wallNow() + (InProcessMqttSide.DefaultRoundTripMs / 2)))
                {
                    return false;
                }

                _side.Publishes++;
                return true;
            }

            public void Dispose()
            {
                lock (_side._gate)
                {
                    IsConnected = false;
                }
            }
        }
    }
}
