using System;
using System.Device.Adc;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Bus;
using Gateway.Bindings.Pressure;
using Gateway.Control.Composition;
using Gateway.Hardware.Esp32.Board;
using Gateway.Hardware.Esp32.Sensors;
using Iot.Device.Ads1115;

namespace Gateway.Firmware
{
    /// <summary>
    /// The ESP32 board's buses for the portable <see cref="SensorComposer"/>: COM3 in turn for the 1-Wire air probe and
    /// the serial ranger (header J3), RMT trigger/echo timing on the same two wires, the ADS1115 on I2C bus 1, the
    /// ADXL345 on SPI bus 1, the battery divider on the board's ADC channel.
    /// </summary>
    public sealed class Esp32SensorParts : ISensorParts
    {
        private readonly BoardSetup _board;
        private Esp32SerialByteStream _rangerPort;
        private Esp32EchoTimer _echo;

        /// <summary>Parts on <paramref name="board"/>'s pins.</summary>
        public Esp32SensorParts(BoardSetup board)
        {
            _board = board;
        }

        /// <inheritdoc />
        public ITemperatureProbe OpenAirTemperature()
        {
            // COM3 in turn: the air temperature first (the ranger's speed of sound), measured once for this wake.
            _board.MapCom3ToOneWire();
            int milli;
            bool ok = OneShotTemperature.TryRead(out milli);
            return new FixedTemperatureProbe(ok, milli);
        }

        /// <inheritdoc />
        public IByteStream OpenUltrasonicUart()
        {
            ReleaseUltrasonicUart();
            _board.MapCom3ToUltrasonic();
            _rangerPort = new Esp32SerialByteStream("COM3", 9600, 300);
            return _rangerPort;
        }

        /// <inheritdoc />
        public IEchoTimer OpenUltrasonicEcho()
        {
            // Trigger on the pin that is the sensor's RX in UART mode, echo on its TX: the same two wires.
            BoardPins pins = _board.Pins;
            _echo = new Esp32EchoTimer(pins.UltrasonicTx, pins.UltrasonicRx);
            return _echo;
        }

        /// <inheritdoc />
        public IRawAdc OpenPressureAdc(Ads1115Range range)
        {
            return new Esp32Ads1115Input(1, _board.Pins.Ads1115Address, InputMultiplexer.AIN0, RangeOf(range));
        }

        /// <inheritdoc />
        public IAccelerometerRaw OpenAccelerometer()
        {
            // 256 counts per g at ±2 g full resolution; the binding's vector is in g.
            return new Esp32Adxl345Accelerometer(1, _board.Pins.AccelerometerChipSelect, 256f);
        }

        /// <inheritdoc />
        public IAnalogInput OpenBatteryInput(SupplyVoltageSettings settings)
        {
            BoardPins pins = _board.Pins;
            if (pins.BatteryAdcChannel < 0)
            {
                return null;
            }

            settings.TopOhms = pins.BatteryTopOhms;
            settings.BottomOhms = pins.BatteryBottomOhms;
            return new Esp32AdcInput(new AdcController(), pins.BatteryAdcChannel);
        }

        /// <summary>Closes the serial ranger's port so COM3 can go to the technician console.</summary>
        public void ReleaseUltrasonicUart()
        {
            if (_rangerPort != null)
            {
                _rangerPort.Dispose();
                _rangerPort = null;
            }
        }

        private static MeasuringRange RangeOf(Ads1115Range range)
        {
            switch (range)
            {
                case Ads1115Range.Fsr6144:
                    return MeasuringRange.FS6144;
                case Ads1115Range.Fsr2048:
                    return MeasuringRange.FS2048;
                case Ads1115Range.Fsr1024:
                    return MeasuringRange.FS1024;
                case Ads1115Range.Fsr0512:
                    return MeasuringRange.FS0512;
                case Ads1115Range.Fsr0256:
                    return MeasuringRange.FS0256;
                default:
                    return MeasuringRange.FS4096;
            }
        }
    }
}
