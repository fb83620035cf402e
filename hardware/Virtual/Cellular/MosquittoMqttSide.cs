using System;
using Gateway.Virtual.Mqtt;

namespace Gateway.Virtual.Cellular
{
    /// <summary>
    /// The modem's MQTT side on a real broker: each session is a libmosquitto client connecting to the host and port
    /// the driver configured. Messages come from libmosquitto's thread and are due at once; latency is real time.
    /// The client has no UNSUBSCRIBE: the modem drops an unsubscribed topic's messages itself.
    /// </summary>
    public sealed class MosquittoMqttSide : IModemMqttSide
    {
        /// <summary>Longest real wait for the broker's CONNACK.</summary>
        public static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(2);

        /// <summary>Longest real wait for a PUBACK.</summary>
        public static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(5);

        /// <inheritdoc />
        public IModemMqttSession Create(ModemMqttConnect parameters, Action<ModemMqttMessage> deliver) => new Session(parameters, deliver);

        private sealed class Session : IModemMqttSession
        {
            private readonly MosquittoClient _client;
            private readonly ModemMqttConnect _p;

            public Session(ModemMqttConnect p, Action<ModemMqttMessage> deliver)
            {
                _p = p;
                _client = new MosquittoClient(p.ClientId, p.CleanSession);
                if (!string.IsNullOrEmpty(p.User))
                {
                    _client.SetCredentials(p.User, p.Password ?? "");
                }

                _client.MessageReceived += m => deliver(new ModemMqttMessage(m.Topic, m.Payload, 0));
            }

            public bool IsConnected => _client.IsConnected;

            public bool Connect()
            {
                _client.Start(_p.Host, _p.Port, _p.KeepAliveSeconds);
                return _client.WaitConnected(ConnectWait);
            }

            public void Subscribe(string topic, int qos) => _client.Subscribe(topic, qos);

            public void Unsubscribe(string topic)
            {
                // libmosquitto wrapper without UNSUBSCRIBE: the modem drops the topic's messages (VirtualSim7080).
            }

            public bool Publish(string topic, byte[] payload, int qos, bool retain, out long ackDelayMs)
            {
                ackDelayMs = 0;
                return _client.IsConnected && _client.Publish(topic, payload, qos, retain, PublishWait);
            }

            public void Dispose() => _client.Dispose();
        }
    }
}
