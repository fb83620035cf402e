namespace Gateway.Core.Uplink
{
    /// <summary>
    /// The MQTT topic layout between a gateway and the regional cloud (see Uplink/README.md):
    /// gw/{deviceId}/up (gateway → cloud, batches, QoS 1), gw/{deviceId}/ack (cloud → gateway, acknowledgements by
    /// sequence range, QoS 1), gw/{deviceId}/down (cloud → gateway, commands and configuration, QoS 1),
    /// gw/{deviceId}/commission (gateway → cloud, the signed commissioning record, QoS 1), and the text-safe twins
    /// gw/{deviceId}/ack/hex and gw/{deviceId}/down/hex (cloud → gateway, the same messages as uppercase hex digits, for
    /// a cellular modem whose MQTT client cannot pass binary downlinks; a gateway subscribes to one pair only).
    /// </summary>
    public static class MqttTopics
    {
        /// <summary>PollDownlink channel of a message that came on the ack topic.</summary>
        public const int AckChannel = 1;

        /// <summary>PollDownlink channel of a message that came on the down (command) topic.</summary>
        public const int DownChannel = 2;

        /// <summary>QoS of every topic: 1 (at least once; the batch sequence makes duplicates harmless).</summary>
        public const int Qos = 1;

        /// <summary>Topic the gateway publishes batches on.</summary>
        public static string Up(string deviceId)
        {
            return "gw/" + deviceId + "/up";
        }

        /// <summary>Topic the cloud publishes acknowledgements on.</summary>
        public static string Ack(string deviceId)
        {
            return "gw/" + deviceId + "/ack";
        }

        /// <summary>Topic the cloud publishes commands on.</summary>
        public static string Down(string deviceId)
        {
            return "gw/" + deviceId + "/down";
        }

        /// <summary>Suffix of a downlink topic's text-safe twin.</summary>
        public const string HexSuffix = "/hex";

        /// <summary>
        /// Twin of <see cref="Ack"/>: every acknowledgement again as uppercase hex digits (two per byte, nothing else),
        /// for a modem whose MQTT client can only pass printable text (SIM7080 without SUBHEX).
        /// </summary>
        public static string AckHex(string deviceId)
        {
            return "gw/" + deviceId + "/ack" + HexSuffix;
        }

        /// <summary>Twin of <see cref="Down"/>: every command again as uppercase hex digits (see <see cref="AckHex"/>).</summary>
        public static string DownHex(string deviceId)
        {
            return "gw/" + deviceId + "/down" + HexSuffix;
        }

        /// <summary>True when <paramref name="topic"/> is one of the hex twins (<see cref="AckHex"/>, <see cref="DownHex"/>) of <paramref name="deviceId"/>.</summary>
        public static bool IsHexTwin(string topic, string deviceId)
        {
            return topic == AckHex(deviceId) || topic == DownHex(deviceId);
        }

        /// <summary>Topic the gateway publishes its signed commissioning record on (Control/Commissioning/README.md).</summary>
        public static string Commission(string deviceId)
        {
            return "gw/" + deviceId + "/commission";
        }

        /// <summary>
        /// The PollDownlink channel of <paramref name="topic"/> for <paramref name="deviceId"/>: <see cref="AckChannel"/>
        /// for the ack topic or its hex twin, <see cref="DownChannel"/> for the down topic or its hex twin, 0 otherwise.
        /// A hex twin's payload is hex text: the caller decodes it (<see cref="IsHexTwin"/> tells which).
        /// </summary>
        public static int ChannelOf(string topic, string deviceId)
        {
            if (topic == Ack(deviceId) || topic == AckHex(deviceId))
            {
                return AckChannel;
            }

            return topic == Down(deviceId) || topic == DownHex(deviceId) ? DownChannel : 0;
        }
    }
}
