namespace Gateway.Core.Uplink
{
    /// <summary>Outcome of <see cref="IUplinkTransport.Send"/>. Handing a payload over is not delivery: the cloud's
    /// acknowledgement by sequence range (a downlink or the ack topic) is what releases data from the log.</summary>
    public enum UplinkStatus : byte
    {
        /// <summary>Handed to the network (LoRaWAN unconfirmed frame left the radio; MQTT QoS 1 PUBACK from the broker).</summary>
        Sent = 0,

        /// <summary>The network acknowledged the frame (LoRaWAN confirmed uplink). Still not the cloud's acknowledgement.</summary>
        NetworkAcknowledged = 1,

        /// <summary>Not now (airtime budget, module busy, not joined yet); try again at <see cref="UplinkResult.RetryAtMs"/>.</summary>
        RetryLater = 2,

        /// <summary>The payload is larger than <see cref="IUplinkTransport.MaxPayloadNow"/>: re-encode smaller.</summary>
        TooLarge = 3,

        /// <summary>The transport is down (no network, no broker); another transport should be tried.</summary>
        Unavailable = 4,

        /// <summary>The attempt failed (no acknowledgement, timeout); retry with backoff.</summary>
        Failed = 5,
    }
}
