namespace Gateway.Bindings.Bus
{
    /// <summary>An air-pressure sensor (a BMP280/BME280 on the device) for the compensation of absolute transducers.</summary>
    public interface IBarometer
    {
        /// <summary>Reads the air pressure in pascals; false when the sensor is missing or failed.</summary>
        bool TryReadPascals(out int pascals);
    }
}
