namespace Gateway.Cloud.Receiver
{
    /// <summary>Connection settings of the receiver's MQTT client.</summary>
    /// <param name="Host">Broker host (the regional exchange's broker).</param>
    /// <param name="Port">Broker port.</param>
    /// <param name="Username">User, or null for none.</param>
    /// <param name="Password">Password, or null.</param>
    /// <param name="ShareGroup">When set, subscriptions are shared (<c>$share/GROUP/...</c>): several receivers split the load.</param>
    /// <param name="ClientId">Client id (stable per receiver instance: the broker keeps its session under it).</param>
    /// <param name="CleanSession">True for a session the broker forgets at disconnect (a simulation run); false (production) keeps
    /// the subscriptions and queues QoS 1 messages while the receiver restarts.</param>
    /// <param name="ClockTopic">Simulation only: a topic carrying the simulated world's time (Unix ms, decimal text); when set,
    /// messages are stamped with the latest time seen there instead of the host clock.</param>
    public sealed record MqttReceiverSettings(string Host, int Port, string? Username, string? Password, string? ShareGroup, string ClientId,
        bool CleanSession = false, string? ClockTopic = null)
    {
        /// <summary>The default in-flight window: messages the broker may have handed over that are not yet acknowledged.</summary>
        public const int DefaultInFlight = 32;

        /// <summary>
        /// The in-flight window (MQTT 5 Receive Maximum): at most this many messages are with the receiver and not yet
        /// acknowledged; the broker keeps the rest. A receiver killed at any instant loses none of them: the broker
        /// redelivers what was not acknowledged when the same client id connects again.
        /// </summary>
        public int InFlight { get; init; } = DefaultInFlight;

        /// <summary>
        /// How long the broker keeps the session (subscriptions, unacknowledged and queued messages) after a disconnect,
        /// in seconds (MQTT 5 Session Expiry Interval); <see cref="uint.MaxValue"/>: never expires. Ignored with
        /// <see cref="CleanSession"/> (then 0).
        /// </summary>
        public uint SessionExpirySeconds { get; init; } = uint.MaxValue;

        /// <summary>TLS towards the broker, or null for plain TCP.</summary>
        public MqttTlsSettings? Tls { get; init; }
    }

    /// <summary>TLS settings of the receiver's broker connection.</summary>
    /// <param name="CaFile">PEM file of the certificate authority the broker's certificate must chain to (null: the system's).</param>
    /// <param name="CertFile">PEM client certificate (null: none).</param>
    /// <param name="KeyFile">PEM private key of <paramref name="CertFile"/>.</param>
    public sealed record MqttTlsSettings(string? CaFile, string? CertFile, string? KeyFile);
}
