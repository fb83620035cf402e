using System;

namespace Gateway.Virtual.Cellular
{
    /// <summary>What AT+SMCONN connects with: the broker and the session settings the driver gave with AT+SMCONF.</summary>
    /// <param name="Host">Broker host (AT+SMCONF="URL").</param>
    /// <param name="Port">Broker port.</param>
    /// <param name="ClientId">MQTT client id.</param>
    /// <param name="User">User name, or null.</param>
    /// <param name="Password">Password, or null.</param>
    /// <param name="CleanSession">True: the broker forgets the session at disconnect (CLEANSS 1).</param>
    /// <param name="KeepAliveSeconds">Keep-alive, s.</param>
    public sealed record ModemMqttConnect(string Host, int Port, string ClientId, string? User, string? Password, bool CleanSession, int KeepAliveSeconds);

    /// <summary>A message from the broker to the modem; it reaches the UART as a +SMSUB URC after <paramref name="DelayMs"/> of virtual time.</summary>
    /// <param name="Topic">Topic it was published on.</param>
    /// <param name="Payload">Its bytes.</param>
    /// <param name="DelayMs">Network latency still to go (virtual ms; 0 for a real broker, whose latency is real time).</param>
    public readonly record struct ModemMqttMessage(string Topic, byte[] Payload, long DelayMs);

    /// <summary>
    /// The network and broker behind a <see cref="VirtualSim7080"/>'s built-in MQTT client: a real broker
    /// (<see cref="MosquittoMqttSide"/>) or an in-process one (<see cref="InProcessMqttSide"/>).
    /// </summary>
    public interface IModemMqttSide
    {
        /// <summary>
        /// A session not yet connected: <paramref name="deliver"/> gets every message for the modem (from any thread for a
        /// real broker), also those a persistent session kept, which may come while <see cref="IModemMqttSession.Connect"/> runs.
        /// </summary>
        IModemMqttSession Create(ModemMqttConnect parameters, Action<ModemMqttMessage> deliver);
    }

    /// <summary>One MQTT connection of the modem (AT+SMCONN to AT+SMDISC or a drop); disposing it closes it.</summary>
    public interface IModemMqttSession : IDisposable
    {
        /// <summary>True while connected.</summary>
        bool IsConnected { get; }

        /// <summary>Connects; false when the broker is unreachable or refuses (AT+SMCONN answers ERROR).</summary>
        bool Connect();

        /// <summary>Subscribes to <paramref name="topic"/> (AT+SMSUB).</summary>
        void Subscribe(string topic, int qos);

        /// <summary>Unsubscribes from <paramref name="topic"/> (AT+SMUNSUB); a side that cannot may leave the modem to drop its messages.</summary>
        void Unsubscribe(string topic);

        /// <summary>
        /// Publishes (AT+SMPUB); true when the broker acknowledged it (QoS 1 PUBACK). <paramref name="ackDelayMs"/>: the
        /// virtual time the acknowledgement took (the round trip), 0 when the wait was real time.
        /// </summary>
        bool Publish(string topic, byte[] payload, int qos, bool retain, out long ackDelayMs);
    }
}
