using System.Device.Gpio;
using System.Threading;
using Gateway.Bindings.Sim7080;

namespace Gateway.Hardware.Esp32.Uplink
{
    /// <summary>
    /// The SIM7080G's PWRKEY on an ESP32 GPIO driving the breakout's NPN: pin high = key pressed (PWRKEY pulled to
    /// ground), low = released. <see cref="Press"/> holds it for the requested time with Thread.Sleep and releases it,
    /// so the portable driver decides the timing (1.1 s on, 1.3 s off: bindings/Sim7080/README.md).
    /// </summary>
    /// <remarks>
    /// The board setup opens the pin as an output, released, at every wake (BoardSetup.MapFixedBuses); this adapter
    /// opens it itself only if that has not happened, on the same controller.
    /// </remarks>
    public sealed class Esp32ModemPowerKey : IModemPowerKey
    {
        private readonly GpioController _gpio;
        private readonly int _pin;

        /// <summary>Wraps <paramref name="pin"/> on <paramref name="gpio"/> (the board setup's controller).</summary>
        public Esp32ModemPowerKey(GpioController gpio, int pin)
        {
            _gpio = gpio;
            _pin = pin;
            if (!_gpio.IsPinOpen(_pin))
            {
                _gpio.OpenPin(_pin, PinMode.Output);
                _gpio.Write(_pin, PinValue.Low);
            }
        }

        /// <inheritdoc />
        public void Press(int holdMs)
        {
            _gpio.Write(_pin, PinValue.High);
            try
            {
                Thread.Sleep(holdMs);
            }
            finally
            {
                _gpio.Write(_pin, PinValue.Low);
            }
        }
    }
}
