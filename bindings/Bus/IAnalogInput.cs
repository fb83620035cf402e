namespace Gateway.Bindings.Bus
{
    /// <summary>An input of the microcontroller's own ADC (ESP32: 12 bit, uncalibrated), read as a raw count.</summary>
    public interface IAnalogInput
    {
        /// <summary>Reads one raw count (0 .. 2^bits − 1); false when the ADC is unavailable.</summary>
        bool TryReadRaw(out int count);
    }
}
