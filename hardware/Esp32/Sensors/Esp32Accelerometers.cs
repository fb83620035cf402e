using System;
using System.Device.Spi;
using System.Numerics;
using Gateway.Bindings.Bus;
using Iot.Device.Adxl345;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>
    /// An ADXL345 on SPI through nanoFramework's Adxl345 binding. The binding returns a vector in its own unit;
    /// it is scaled back to counts with <c>countsPerUnit</c> (tilt uses ratios only, so only the gravity sanity
    /// check depends on the scale: verify |a| ≈ 1 g on the bench).
    /// </summary>
    public sealed class Esp32Adxl345Accelerometer : IAccelerometerRaw
    {
        private readonly Adxl345 _sensor;
        private readonly float _countsPerUnit;

        /// <summary>Opens the part on SPI <paramref name="busId"/>, chip select <paramref name="chipSelect"/>, ±2 g.</summary>
        public Esp32Adxl345Accelerometer(int busId, int chipSelect, float countsPerUnit)
        {
            _sensor = new Adxl345(SpiDevice.Create(new SpiConnectionSettings(busId, chipSelect)), GravityRange.Range02);
            _countsPerUnit = countsPerUnit;
        }

        /// <inheritdoc />
        public bool TryReadCounts(out int x, out int y, out int z)
        {
            try
            {
                Vector3 a = _sensor.Acceleration;
                x = (int)(a.X * _countsPerUnit);
                y = (int)(a.Y * _countsPerUnit);
                z = (int)(a.Z * _countsPerUnit);
                return true;
            }
            catch (Exception)
            {
                x = y = z = 0;
                return false;
            }
        }
    }
}
