namespace Gateway.Bindings.Bus
{
    /// <summary>An air or water temperature probe (a DS18B20 on 1-Wire on the device).</summary>
    public interface ITemperatureProbe
    {
        /// <summary>Reads the temperature in millidegrees Celsius; false when the probe is missing or failed.</summary>
        bool TryReadMillicelsius(out int millicelsius);
    }
}
