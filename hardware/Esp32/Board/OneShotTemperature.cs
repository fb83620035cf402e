using System;
using Iot.Device.Ds18b20;
using nanoFramework.Device.OneWire;
using UnitsNet;

namespace Gateway.Hardware.Esp32.Board
{
    /// <summary>
    /// Reads the DS18B20 once and releases COM3, so the UART can be remapped to the ultrasonic sensor afterwards
    /// (the 1-Wire host owns COM3 while open). Call <see cref="BoardSetup.MapCom3ToOneWire"/> first.
    /// </summary>
    public static class OneShotTemperature
    {
        /// <summary>Reads the first probe on the bus; false when none answers or it reports its 85 °C power-on value.</summary>
        public static bool TryRead(out int millicelsius)
        {
            millicelsius = 0;
            OneWireHost host = null;
            try
            {
                host = new OneWireHost();
                Ds18b20 probe = new Ds18b20(host, null, false, TemperatureResolution.VeryHigh);
                if (!probe.Initialize())
                {
                    return false;
                }

                Temperature t;
                if (!probe.TryReadTemperature(out t))
                {
                    return false;
                }

                millicelsius = (int)(t.DegreesCelsius * 1000.0);
                return millicelsius != 85000;
            }
            catch (Exception)
            {
                return false;
            }
            finally
            {
                if (host != null)
                {
                    host.Dispose();
                }
            }
        }
    }
}
