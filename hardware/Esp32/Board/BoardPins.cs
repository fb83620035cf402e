namespace Gateway.Hardware.Esp32.Board
{
    /// <summary>
    /// One board's pin map: which ESP32 GPIO carries which signal. The values are the wiring tables in
    /// hardware/boards/&lt;board&gt;/README.md; <see cref="Esp32Rak3172Board"/> and <see cref="Esp32Sim7080gBoard"/> build them.
    /// A value of -1 means the signal is not wired on that board.
    /// </summary>
    public sealed class BoardPins
    {
        /// <summary>Board name as used in hardware/boards/ (folder name).</summary>
        public string Name = "";

        /// <summary>COM2 RX (ESP32 input) from the radio or modem TX.</summary>
        public int RadioRx = -1;

        /// <summary>COM2 TX (ESP32 output) to the radio or modem RX.</summary>
        public int RadioTx = -1;

        /// <summary>Radio or modem reset / power key (output), -1 when not wired.</summary>
        public int RadioControl = -1;

        /// <summary>Baud rate of the radio or modem UART.</summary>
        public int RadioBaud = 115200;

        /// <summary>COM3 RX while the ultrasonic sensor owns COM3 (from the A02YYUW TX).</summary>
        public int UltrasonicRx = -1;

        /// <summary>COM3 TX while the ultrasonic sensor owns COM3 (to the A02YYUW RX, output mode select).</summary>
        public int UltrasonicTx = -1;

        /// <summary>COM3 TX of the 1-Wire bus (tied to <see cref="OneWireRx"/>, 4.7 kΩ pull-up to 3V3).</summary>
        public int OneWireTx = -1;

        /// <summary>COM3 RX of the 1-Wire bus.</summary>
        public int OneWireRx = -1;

        /// <summary>COM3 RX while the technician console owns COM3 (from the USB-UART adapter's TX).</summary>
        public int ConsoleRx = -1;

        /// <summary>COM3 TX while the technician console owns COM3 (to the USB-UART adapter's RX).</summary>
        public int ConsoleTx = -1;

        /// <summary>I2C1 SDA (ADS1115).</summary>
        public int I2cData = -1;

        /// <summary>I2C1 SCL (ADS1115).</summary>
        public int I2cClock = -1;

        /// <summary>7-bit I2C address of the ADS1115 (ADDR to GND: 0x48).</summary>
        public int Ads1115Address = 0x48;

        /// <summary>SPI1 SCLK (ADXL345).</summary>
        public int SpiClock = -1;

        /// <summary>SPI1 MISO (ADXL345 SDO).</summary>
        public int SpiMiso = -1;

        /// <summary>SPI1 MOSI (ADXL345 SDA/SDI).</summary>
        public int SpiMosi = -1;

        /// <summary>ADXL345 chip select (GPIO number, driven by the SPI driver).</summary>
        public int AccelerometerChipSelect = -1;

        /// <summary>High switches the sensors' supply on (P-MOSFET high-side switch driver), -1 when always on.</summary>
        public int SensorPower = -1;

        /// <summary>ADC1 channel of the battery divider (ADC1 only: ADC2 is unusable with Wi-Fi).</summary>
        public int BatteryAdcChannel = -1;

        /// <summary>GPIO of the battery divider (for the table and the pin function).</summary>
        public int BatteryPin = -1;

        /// <summary>Battery divider top resistor, ohms.</summary>
        public int BatteryTopOhms = 100000;

        /// <summary>Battery divider bottom resistor, ohms.</summary>
        public int BatteryBottomOhms = 100000;

        /// <summary>Technician button (low = pressed, pulled up); held at a wake it opens the console.</summary>
        public int TechnicianButton = -1;

        /// <summary>Milliseconds the sensors need after power-on before the first measurement.</summary>
        public int SensorWarmUpMs = 300;
    }
}
