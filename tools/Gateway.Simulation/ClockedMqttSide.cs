using System;
using Gateway.Virtual.Cellular;

namespace Gateway.Simulation
{
    /// <summary>
    /// A gateway modem's MQTT side on the real broker, in the simulation's time: before each publish the operators'
    /// link puts the simulated arrival time on the clock topic (the receiver stamps the message with it), and the
    /// PUBACK takes the modelled LTE-M round trip in virtual time (the broker's own time is real and not counted).
    /// </summary>
    public sealed class ClockedMqttSide : IModemMqttSide
    {
        private readonly IModemMqttSide _inner;
        private readonly BrokerLink _link;
        private readonly Func<long> _wallNow;

        /// <summary>Wraps <paramref name="inner"/> (the libmosquitto side); <paramref name="wallNow"/> is the gateway's wall clock.</summary>
        public ClockedMqttSide(IModemMqttSide inner, BrokerLink link, Func<long> wallNow)
        {
            _inner = inner;
            _link = link;
            _wallNow = wallNow;
        }

        /// <summary>Messages the broker acknowledged.</summary>
        public int Publishes { get; private set; }

        /// <inheritdoc />
        public IModemMqttSession Create(ModemMqttConnect parameters, Action<ModemMqttMessage> deliver) => new Session(this, _inner.Create(parameters, deliver));

        private sealed class Session : IModemMqttSession
        {
            private readonly ClockedMqttSide _side;
            private readonly IModemMqttSession _inner;

            public Session(ClockedMqttSide side, IModemMqttSession inner)
            {
                _side = side;
                _inner = inner;
            }

            public bool IsConnected => _inner.IsConnected;

            public bool Connect() => _inner.Connect();

            public void Subscribe(string topic, int qos) => _inner.Subscribe(topic, qos);

            public void Unsubscribe(string topic) => _inner.Unsubscribe(topic);

            public bool Publish(string topic, byte[] payload, int qos, bool retain, out long ackDelayMs)
            {
                ackDelayMs = InProcessMqttSide.DefaultRoundTripMs;
                if (!_side._link.PublishClock(_side._wallNow() + (InProcessMqttSide.DefaultRoundTripMs / 2)))
                {
                    return false;
                }

                if (!_inner.Publish(topic, payload, qos, retain, out _))
                {
                    return false;
                }

                _side.Publishes++;
                return true;
            }

            public void Dispose() => _inner.Dispose();
        }
    }
}
