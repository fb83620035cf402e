using System;
using System.Threading;
using Gateway.Core.Uplink;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace Gateway.Hardware.Esp32.Uplink
{
    /// <summary>
    /// MQTT as an <see cref="IUplinkTransport"/> on the device over nanoFramework.M2Mqtt's IMqttClient (MqttClient over
    /// Wi-Fi). Batches go to gw/{deviceId}/up with QoS 1; acknowledgements and commands arrive on gw/{deviceId}/ack and
    /// gw/{deviceId}/down. LTE-M / NB-IoT does not use this class: it goes through our own SIM7080G driver
    /// (bindings/Sim7080, Sim7080Transport), because the AtModem package cannot share an image with M2Mqtt.
    /// </summary>
    /// <remarks>
    /// For a client whose publish does not report the broker's PUBACK, set <see cref="PublishConfirmed"/> false and
    /// rely, as always, on the cloud's acknowledgement by sequence range.
    /// </remarks>
    public sealed class M2MqttTransport : IUplinkTransport
    {
        private const int DownlinkSlots = 4;

        private readonly IMqttClient _client;
        private readonly string _deviceId;
        private readonly string _clientId;
        private readonly string _username;
        private readonly string _password;
        private readonly string _upTopic;
        private readonly string _ackTopic;
        private readonly string _downTopic;
        private readonly AutoResetEvent _published = new AutoResetEvent(false);
        private readonly object _sync = new object();
        private readonly byte[][] _downlinks = new byte[DownlinkSlots][];
        private readonly int[] _downlinkChannel = new int[DownlinkSlots];
        private int _downlinkHead;
        private int _downlinkCount;
        private ushort _awaitedId;
        private bool _awaitedOk;

        /// <summary>Wraps a client that is already initialised (broker host, port, TLS) but not connected.</summary>
        public M2MqttTransport(IMqttClient client, string deviceId, string username, string password, int maxPayloadBytes)
        {
            _client = client;
            _deviceId = deviceId;
            _clientId = "gw-" + deviceId;
            _username = username;
            _password = password;
            _upTopic = MqttTopics.Up(deviceId);
            _ackTopic = MqttTopics.Ack(deviceId);
            _downTopic = MqttTopics.Down(deviceId);
            MaxPayloadBytes = maxPayloadBytes;
            _client.MqttMsgPublished += OnPublished;
            _client.MqttMsgPublishReceived += OnReceived;
        }

        /// <summary>Largest batch published, bytes.</summary>
        public int MaxPayloadBytes;

        /// <summary>True when the client raises MqttMsgPublished for QoS 1 (M2Mqtt over TCP); false for a client that does not.</summary>
        public bool PublishConfirmed = true;

        /// <summary>How long <see cref="Send"/> waits for the broker's PUBACK, ms.</summary>
        public int AckTimeoutMs = 10000;

        /// <summary>Downlinks lost because the slots were full.</summary>
        public int DownlinksDropped;

        /// <inheritdoc />
        public string Name
        {
            get { return "mqtt"; }
        }

        /// <inheritdoc />
        public bool IsAvailable
        {
            get { return _client.IsConnected; }
        }

        /// <inheritdoc />
        public int MaxPayloadNow
        {
            get { return _client.IsConnected ? MaxPayloadBytes : 0; }
        }

        /// <inheritdoc />
        public bool EnsureReady()
        {
            if (_client.IsConnected)
            {
                return true;
            }

            try
            {
                // Persistent session (cleanSession false): the broker keeps the subscriptions and queued acks.
                MqttReasonCode rc = _client.Connect(_clientId, _username, _password, false, MqttQoSLevel.AtMostOnce, false, null, null, false, 60);
                if (rc != MqttReasonCode.Success)
                {
                    return false;
                }

                _client.Subscribe(new string[] { _ackTopic, _downTopic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce });
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

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

            // M2Mqtt publishes whole arrays: one copy per batch (never per reading).
            byte[] payload = new byte[count];
            Array.Copy(data, offset, payload, 0, count);
            try
            {
                _awaitedOk = false;
                _published.Reset(); // a late PUBACK of an earlier, timed-out publish must not count for this one
                lock (_sync)
                {
                    _awaitedId = _client.Publish(_upTopic, payload, null, null, MqttQoSLevel.AtLeastOnce, false);
                }

                if (!PublishConfirmed)
                {
                    return new UplinkResult(UplinkStatus.Sent, 0);
                }

                bool signalled = _published.WaitOne(AckTimeoutMs, false);
                return signalled && _awaitedOk ? new UplinkResult(UplinkStatus.Sent, 0) : new UplinkResult(UplinkStatus.Failed, 0);
            }
            catch (Exception)
            {
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            lock (_sync)
            {
                channel = 0;
                if (_downlinkCount == 0)
                {
                    return -1;
                }

                byte[] d = _downlinks[_downlinkHead];
                if (d.Length > capacity || offset + d.Length > buffer.Length)
                {
                    return -1;
                }

                Array.Copy(d, 0, buffer, offset, d.Length);
                channel = _downlinkChannel[_downlinkHead];
                _downlinks[_downlinkHead] = null;
                _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
                _downlinkCount--;
                return d.Length;
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            bool match;
            lock (_sync)
            {
                match = e.MessageId == _awaitedId;
            }

            if (match)
            {
                _awaitedOk = e.IsPublished;
                _published.Set();
            }
        }

        private void OnReceived(object sender, MqttMsgPublishEventArgs e)
        {
            int channel = MqttTopics.ChannelOf(e.Topic, _deviceId);
            if (channel == 0 || e.Message == null)
            {
                return;
            }

            lock (_sync)
            {
                if (_downlinkCount == DownlinkSlots)
                {
                    _downlinks[_downlinkHead] = null;
                    _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
                    _downlinkCount--;
                    DownlinksDropped++;
                }

                int slot = (_downlinkHead + _downlinkCount) % DownlinkSlots;
                _downlinks[slot] = e.Message;
                _downlinkChannel[slot] = channel;
                _downlinkCount++;
            }
        }
    }
}
