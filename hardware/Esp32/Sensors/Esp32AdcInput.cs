using System;
using System.Device.Adc;
using Gateway.Bindings.Bus;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>
    /// An ESP32 ADC1 channel (12 bit, uncalibrated) for the battery or supply divider. ADC2 cannot be used while
    /// Wi-Fi is on; trim the gain with a LinearCalibrationFilter against a multimeter at commissioning.
    /// </summary>
    public sealed class Esp32AdcInput : IAnalogInput
    {
        private readonly AdcChannel _channel;

        /// <summary>Opens ADC1 channel <paramref name="channel"/> (the board maps it to its GPIO).</summary>
        public Esp32AdcInput(AdcController controller, int channel)
        {
            _channel = controller.OpenChannel(channel);
        }

        /// <inheritdoc />
        public bool TryReadRaw(out int count)
        {
            try
            {
                count = _channel.ReadValue();
                return true;
            }
            catch (Exception)
            {
                count = 0;
                return false;
            }
        }
    }
}
