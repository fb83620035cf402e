namespace Gateway.Virtual.Mqtt
{
    /// <summary>A message received from the broker.</summary>
    /// <param name="Topic">The topic it was published on.</param>
    /// <param name="Payload">The payload bytes (a copy; the library's buffer is not kept).</param>
    /// <param name="Qos">The QoS it was delivered with.</param>
    /// <param name="Retain">True for a retained message.</param>
    public sealed record MqttMessage(string Topic, byte[] Payload, int Qos, bool Retain);
}
