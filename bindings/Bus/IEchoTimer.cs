namespace Gateway.Bindings.Bus
{
    /// <summary>
    /// A trigger/echo ultrasonic module (HC-SR04, JSN-SR04T in trigger mode) measured as the round-trip echo time.
    /// </summary>
    public interface IEchoTimer
    {
        /// <summary>Triggers one ping and measures the echo pulse in microseconds; false when no echo came back.</summary>
        bool TryMeasureEchoMicroseconds(out int microseconds);
    }
}
