namespace Gateway.Core.Sensing
{
    /// <summary>
    /// Where the event detector hands over its events (the uplink queues alarms with alarm priority, the control
    /// layer follows cadence changes). Called on the main loop thread, synchronously with the reading that caused it.
    /// </summary>
    public interface ISensingEventSink
    {
        /// <summary>Accepts one event; <see cref="SensingEvent.Priority"/> says how urgently it must be sent.</summary>
        void Accept(ref SensingEvent sensingEvent);
    }
}
