namespace Gateway.Core.Uplink
{
    /// <summary>
    /// One way to the cloud: LoRaWAN through a module, MQTT over Wi-Fi or cellular. The <see cref="UplinkScheduler"/>
    /// drives several in order of cost and fails over between them.
    /// </summary>
    public interface IUplinkTransport
    {
        /// <summary>Short name for logs and health ("lorawan", "mqtt-lte").</summary>
        string Name { get; }

        /// <summary>True when a send could be attempted now without first connecting or joining.</summary>
        bool IsAvailable { get; }

        /// <summary>
        /// Largest payload in bytes the next <see cref="Send"/> may carry now (LoRaWAN: the dwell-limited maximum of the
        /// current data rate, 0 while the airtime budget is spent; MQTT: the broker/client limit). 0 = nothing now.
        /// </summary>
        int MaxPayloadNow { get; }

        /// <summary>Connects or joins if needed (bounded in time); returns true when <see cref="IsAvailable"/> afterwards.</summary>
        bool EnsureReady();

        /// <summary>Sends one payload of class <paramref name="payloadClass"/> (a transport may confirm alarms).</summary>
        UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass);

        /// <summary>
        /// Copies the oldest received downlink (cloud acknowledgement or command) into <paramref name="buffer"/>; returns
        /// its length, or -1 when none is waiting. <paramref name="channel"/> is the LoRaWAN FPort, or 0 for MQTT.
        /// </summary>
        int PollDownlink(byte[] buffer, int offset, int capacity, out int channel);
    }
}
