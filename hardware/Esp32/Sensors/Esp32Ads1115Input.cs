using System;
using System.Device.I2c;
using Iot.Device.Ads1115;
using Gateway.Bindings.Bus;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>
    /// One ADS1115 input through nanoFramework's Ads1115 binding, read as raw codes (single-shot, power-down between
    /// conversions). The portable PressureTransducer converts them.
    /// </summary>
    public sealed class Esp32Ads1115Input : IRawAdc, IDisposable
    {
        private readonly Ads1115 _adc;
        private readonly InputMultiplexer _input;

        /// <summary>
        /// Opens the converter at I2C <paramref name="busId"/> and <paramref name="address"/> (0x48 with ADDR to GND) on
        /// <paramref name="input"/> at <paramref name="range"/>; 128 SPS is the datasheet default (7.8 ms per conversion).
        /// </summary>
        public Esp32Ads1115Input(int busId, int address, InputMultiplexer input, MeasuringRange range)
        {
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
            _input = input;
            _adc = new Ads1115(device, input, range, DataRate.SPS128, DeviceMode.PowerDown);
        }

        /// <inheritdoc />
        public bool TryReadRaw(out short code)
        {
            try
            {
                code = _adc.ReadRaw(_input);
                return true;
            }
            catch (Exception)
            {
                code = 0;
                return false;
            }
        }

        /// <summary>Releases the I2C device.</summary>
        public void Dispose()
        {
            _adc.Dispose();
        }
    }
}
