namespace Gateway.Hardware.Esp32.Board
{
    /// <summary>
    /// ESP32-WROOM-32E DevKitC + SIM7080G LTE-M / NB-IoT modem breakout, with the same sensors as
    /// <see cref="Esp32Rak3172Board"/> on the same pins (one sensor harness for both boards). The table in
    /// hardware/boards/esp32-sim7080g/README.md is this class; change both together.
    /// </summary>
    public static class Esp32Sim7080gBoard
    {
        /// <summary>Board name (folder under hardware/boards/).</summary>
        public const string Name = "esp32-sim7080g";

        /// <summary>COM2 RX ← SIM7080G TXD (through the breakout's 1.8 V ↔ 3.3 V level shifter).</summary>
        public const int ModemRx = 16;

        /// <summary>COM2 TX → SIM7080G RXD (through the level shifter).</summary>
        public const int ModemTx = 17;

        /// <summary>SIM7080G PWRKEY through an NPN (high = key pressed; ≥ 1 s press toggles power).</summary>
        public const int ModemPowerKey = 4;

        /// <summary>The pin map as a <see cref="BoardPins"/>.</summary>
        public static BoardPins Pins()
        {
            BoardPins p = Esp32Rak3172Board.Pins();
            p.Name = Name;
            p.RadioRx = ModemRx;
            p.RadioTx = ModemTx;
            p.RadioControl = ModemPowerKey;
            p.RadioBaud = 115200;
            return p;
        }
    }
}
