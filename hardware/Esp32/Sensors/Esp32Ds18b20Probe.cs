using System;
using Gateway.Bindings.Bus;
using Iot.Device.Ds18b20;
using nanoFramework.Device.OneWire;
using UnitsNet;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>A DS18B20 on the ESP32's 1-Wire bus (the first device found) as the air temperature probe.</summary>
    /// <remarks>DS18B20 datasheet: 750 ms per conversion at 12-bit resolution; ±0.5 °C from −10 to +85 °C.</remarks>
    public sealed class Esp32Ds18b20Probe : ITemperatureProbe
    {
        private readonly Ds18b20 _probe;
        private readonly bool _present;

        /// <summary>Opens the 1-Wire host (pins set by the board configuration) and finds the probe.</summary>
        public Esp32Ds18b20Probe()
        {
            _probe = new Ds18b20(new OneWireHost(), null, false, TemperatureResolution.VeryHigh);
            _present = _probe.Initialize();
        }

        /// <inheritdoc />
        public bool TryReadMillicelsius(out int millicelsius)
        {
            millicelsius = 0;
            if (!_present)
            {
                return false;
            }

            try
            {
                Temperature t;
                if (!_probe.TryReadTemperature(out t))
                {
                    return false;
                }

                millicelsius = (int)(t.DegreesCelsius * 1000.0);
                // 85 °C is the DS18B20's power-on value: a reset during conversion, not a reading.
                return millicelsius != 85000;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
