namespace Gateway.Hardware.Esp32.Board
{
    /// <summary>
    /// ESP32-WROOM-32E DevKitC + RAK3172 LoRaWAN breakout (AS923-1), A02YYUW ultrasonic (UART), DS18B20 (1-Wire),
    /// ADS1115 + 4–20 mA transducer over a 150 Ω shunt (I2C), ADXL345 (SPI), battery divider on ADC1.
    /// The table in hardware/boards/esp32-rak3172/README.md is this class; change both together.
    /// </summary>
    public static class Esp32Rak3172Board
    {
        /// <summary>Board name (folder under hardware/boards/).</summary>
        public const string Name = "esp32-rak3172";

        /// <summary>COM2 RX ← RAK3172 UART2 TX (PA2).</summary>
        public const int RakRx = 16;

        /// <summary>COM2 TX → RAK3172 UART2 RX (PA3).</summary>
        public const int RakTx = 17;

        /// <summary>RAK3172 NRST (output, idle high; low ≥ 1 ms resets the module).</summary>
        public const int RakReset = 4;

        /// <summary>COM3 RX ← A02YYUW TX (while COM3 is mapped to the ultrasonic sensor).</summary>
        public const int UltrasonicRx = 26;

        /// <summary>COM3 TX → A02YYUW RX (output mode select).</summary>
        public const int UltrasonicTx = 27;

        /// <summary>COM3 TX of the 1-Wire bus (tied to <see cref="OneWireRx"/>).</summary>
        public const int OneWireTx = 32;

        /// <summary>COM3 RX of the 1-Wire bus (DS18B20 DQ, 4.7 kΩ to 3V3).</summary>
        public const int OneWireRx = 33;

        /// <summary>COM3 RX ← technician USB-UART adapter TX (console header J3).</summary>
        public const int ConsoleRx = 13;

        /// <summary>COM3 TX → technician USB-UART adapter RX (console header J3).</summary>
        public const int ConsoleTx = 14;

        /// <summary>I2C1 SDA → ADS1115 SDA.</summary>
        public const int I2cData = 21;

        /// <summary>I2C1 SCL → ADS1115 SCL.</summary>
        public const int I2cClock = 22;

        /// <summary>SPI1 SCLK → ADXL345 SCL/SCLK.</summary>
        public const int SpiClock = 18;

        /// <summary>SPI1 MISO ← ADXL345 SDO.</summary>
        public const int SpiMiso = 19;

        /// <summary>SPI1 MOSI → ADXL345 SDA/SDI.</summary>
        public const int SpiMosi = 23;

        /// <summary>ADXL345 CS (strapping pin with internal pull-up: CS idles high at boot, as the part needs).</summary>
        public const int AccelerometerChipSelect = 5;

        /// <summary>Sensor supply switch (high = on).</summary>
        public const int SensorPower = 25;

        /// <summary>Battery divider midpoint (GPIO34 = ADC1 channel 6, input only).</summary>
        public const int BatteryPin = 34;

        /// <summary>ADC1 channel of <see cref="BatteryPin"/>.</summary>
        public const int BatteryAdcChannel = 6;

        /// <summary>Technician button: the DevKitC BOOT button (GPIO0, pulled up, low = pressed).</summary>
        public const int TechnicianButton = 0;

        /// <summary>The pin map as a <see cref="BoardPins"/>.</summary>
        public static BoardPins Pins()
        {
            BoardPins p = new BoardPins();
            p.Name = Name;
            p.RadioRx = RakRx;
            p.RadioTx = RakTx;
            p.RadioControl = RakReset;
            p.RadioBaud = 115200;
            p.UltrasonicRx = UltrasonicRx;
            p.UltrasonicTx = UltrasonicTx;
            p.OneWireTx = OneWireTx;
            p.OneWireRx = OneWireRx;
            p.ConsoleRx = ConsoleRx;
            p.ConsoleTx = ConsoleTx;
            p.I2cData = I2cData;
            p.I2cClock = I2cClock;
            p.SpiClock = SpiClock;
            p.SpiMiso = SpiMiso;
            p.SpiMosi = SpiMosi;
            p.AccelerometerChipSelect = AccelerometerChipSelect;
            p.SensorPower = SensorPower;
            p.BatteryPin = BatteryPin;
            p.BatteryAdcChannel = BatteryAdcChannel;
            p.TechnicianButton = TechnicianButton;
            return p;
        }
    }
}
