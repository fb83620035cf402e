using System.Device.Gpio;
using nanoFramework.Hardware.Esp32;

namespace Gateway.Hardware.Esp32.Board
{
    /// <summary>
    /// Routes the ESP32's peripherals to the board's pins (nanoFramework.Hardware.Esp32.Configuration.SetPinFunction)
    /// and switches the sensors' supply. COM3 (UART2) is shared in turn by the 1-Wire bus, the ultrasonic sensor and
    /// the technician console: map it, open the port, use it, close it, then map the next user. A mapping applies
    /// when the port is next opened.
    /// </summary>
    public sealed class BoardSetup
    {
        private BoardPins _pins;
        private readonly GpioController _gpio;

        /// <summary>Creates the setup for a pin map and opens the GPIO controller.</summary>
        public BoardSetup(BoardPins pins)
        {
            _pins = pins;
            _gpio = new GpioController();
        }

        /// <summary>The pin map.</summary>
        public BoardPins Pins
        {
            get { return _pins; }
        }

        /// <summary>
        /// Chooses the pin map once the configuration says which modem sits on COM2 (before <see cref="MapFixedBuses"/>).
        /// The boards differ only there: GPIO 4 is the RAK3172's reset on one and the SIM7080G's PWRKEY on the other.
        /// </summary>
        public void UsePins(BoardPins pins)
        {
            _pins = pins;
        }

        /// <summary>The GPIO controller that owns the board's pins (the modem's PWRKEY adapter writes through it).</summary>
        public GpioController Gpio
        {
            get { return _gpio; }
        }

        /// <summary>Maps the fixed buses: COM2 to the radio or modem, I2C1, SPI1, the ADC channel.</summary>
        public void MapFixedBuses()
        {
            Map(_pins.RadioRx, DeviceFunction.COM2_RX);
            Map(_pins.RadioTx, DeviceFunction.COM2_TX);
            Map(_pins.I2cData, DeviceFunction.I2C1_DATA);
            Map(_pins.I2cClock, DeviceFunction.I2C1_CLOCK);
            Map(_pins.SpiClock, DeviceFunction.SPI1_CLOCK);
            Map(_pins.SpiMiso, DeviceFunction.SPI1_MISO);
            Map(_pins.SpiMosi, DeviceFunction.SPI1_MOSI);
            if (_pins.RadioControl >= 0)
            {
                _gpio.OpenPin(_pins.RadioControl, PinMode.Output);
                _gpio.Write(_pins.RadioControl, _pins.Name == Esp32Rak3172Board.Name ? PinValue.High : PinValue.Low);
            }
        }

        /// <summary>Gives COM3 to the 1-Wire bus (DS18B20); open the OneWireHost after this.</summary>
        public void MapCom3ToOneWire()
        {
            Map(_pins.OneWireRx, DeviceFunction.COM3_RX);
            Map(_pins.OneWireTx, DeviceFunction.COM3_TX);
        }

        /// <summary>Gives COM3 to the ultrasonic sensor; open its serial port after this.</summary>
        public void MapCom3ToUltrasonic()
        {
            Map(_pins.UltrasonicRx, DeviceFunction.COM3_RX);
            Map(_pins.UltrasonicTx, DeviceFunction.COM3_TX);
        }

        /// <summary>Gives COM3 to the technician console header; open its serial port after this.</summary>
        public void MapCom3ToConsole()
        {
            Map(_pins.ConsoleRx, DeviceFunction.COM3_RX);
            Map(_pins.ConsoleTx, DeviceFunction.COM3_TX);
        }

        /// <summary>Switches the sensors' supply on or off (no-op when the board has no switch).</summary>
        public void SensorPower(bool on)
        {
            if (_pins.SensorPower < 0)
            {
                return;
            }

            _gpio.OpenPin(_pins.SensorPower, PinMode.Output);
            _gpio.Write(_pins.SensorPower, on ? PinValue.High : PinValue.Low);
        }

        /// <summary>True while the technician button is held (read once at the wake).</summary>
        public bool TechnicianButtonHeld()
        {
            if (_pins.TechnicianButton < 0)
            {
                return false;
            }

            _gpio.OpenPin(_pins.TechnicianButton, PinMode.InputPullUp);
            return _gpio.Read(_pins.TechnicianButton) == PinValue.Low;
        }

        /// <summary>Pulses the RAK3172's NRST low for 10 ms (the module keeps its settings and, with RUI3, its session).</summary>
        public void ResetRadio()
        {
            if (_pins.RadioControl < 0)
            {
                return;
            }

            _gpio.Write(_pins.RadioControl, PinValue.Low);
            System.Threading.Thread.Sleep(10);
            _gpio.Write(_pins.RadioControl, PinValue.High);
        }

        private static void Map(int pin, DeviceFunction function)
        {
            if (pin >= 0)
            {
                Configuration.SetPinFunction(pin, function);
            }
        }
    }
}
