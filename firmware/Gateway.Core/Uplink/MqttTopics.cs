namespace Gateway.Core.Uplink
{
    /// <summary>
    /// The MQTT topic layout between a gateway and the regional cloud (see Uplink/README.md):
    /// gw/{deviceId}/up (gateway → cloud, batches, QoS 1), gw/{deviceId}/ack (cloud → gateway, acknowledgements by
    /// sequence range, QoS 1), gw/{deviceId}/down (cloud → gateway, commands and configuration, QoS 1),
    /// gw/{deviceId}/commission (gateway → cloud, the signed commissioning record, QoS 1).
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

        /// <summary>Topic the gateway publishes its signed commissioning record on (Control/Commissioning/README.md).</summary>
        public static string Commission(string deviceId)
        {
            return "gw/" + deviceId + "/commission";
        }

        /// <summary>The PollDownlink channel of <paramref name="topic"/> for <paramref name="deviceId"/>, 0 when it is neither.</summary>
        public static int ChannelOf(string topic, string deviceId)
        {
            if (topic == Ack(deviceId))
            {
                return AckChannel;
            }

            return topic == Down(deviceId) ? DownChannel : 0;
        }
    }
}
