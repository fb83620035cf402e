using System;
using System.Device.I2c;
using Gateway.Bindings.Bus;
using Iot.Device.Bmxx80;
using UnitsNet;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>A BMP280 (Bmxx80 binding) as the barometer that compensates an absolute pressure transducer.</summary>
    public sealed class Esp32Bmp280Barometer : IBarometer
    {
        private readonly Bmp280 _sensor;

        /// <summary>Opens the sensor at I2C <paramref name="busId"/> and <paramref name="address"/> (0x76 or 0x77).</summary>
        public Esp32Bmp280Barometer(int busId, int address)
        {
            _sensor = new Bmp280(I2cDevice.Create(new I2cConnectionSettings(busId, address)));
        }

        /// <inheritdoc />
        public bool TryReadPascals(out int pascals)
        {
            pascals = 0;
            try
            {
                Pressure p;
                if (!_sensor.TryReadPressure(out p))
                {
                    return false;
                }

                pascals = (int)(p.Pascals + 0.5);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
