namespace Gateway.Simulation.Energy
{
    /// <summary>
    /// The current each part of a gateway draws in each state (mA) and the named timing parameters a board must
    /// confirm. Every figure is a row of the table in hardware/boards/ENERGY.md (datasheet, revision, table); change
    /// both together.
    /// </summary>
    public sealed class CurrentProfile
    {
        // ---- ESP32-WROOM-32E (ESP32 Series Datasheet, "Power Consumption by Power Modes") -------------------------

        /// <summary>ESP32 deep sleep, RTC timer and RTC memory on (ENERGY.md E1).</summary>
        public double EspDeepSleepMa { get; init; } = 0.010;

        /// <summary>ESP32 running at 240 MHz (nanoFramework's ESP32 default), radio off: modem-sleep, upper figure (E2).</summary>
        public double EspRunningMa { get; init; } = 68;

        /// <summary>ESP32 awake between close samples, the CPU idle in <c>Thread.Sleep</c>: modem-sleep, lower figure (E2a).</summary>
        public double EspIdleAwakeMa { get; init; } = 30;

        /// <summary>Named parameter: boot to <c>Program.Main</c> and the composition after a deep sleep, ms (assumed; <c>hil</c> measures it as <c>boot_ms</c>, <c>./gateway sim --boot-ms</c> sets it) (P1).</summary>
        public double EspBootMs { get; init; } = 1200;

        /// <summary>Named parameter: CPU time a wake needs beyond what the virtual clock sees (filters, HMAC, flash commits), ms (assumed; <c>hil</c> measures a board's cycle as <c>cycle_ms</c>, <c>./gateway sim --cycle-ms</c> sets it) (P2).</summary>
        public double EspCycleMs { get; init; } = 150;

        /// <summary>A wait shorter than this keeps the ESP32 awake between samples (the firmware's own threshold).</summary>
        public long DeepSleepThresholdMs { get; init; } = Gateway.Core.Node.NodeSettings.DeepSleepThresholdMs;

        // ---- Regulator and divider --------------------------------------------------------------------------------

        /// <summary>HT7333 LDO quiescent current (E3).</summary>
        public double LdoQuiescentMa { get; init; } = 0.004;

        /// <summary>Battery divider, top plus bottom resistance, ohms (board: 100 kΩ + 100 kΩ) (E4).</summary>
        public double DividerOhms { get; init; } = 200_000;

        // ---- RAK3172 (STM32WLE5) ------------------------------------------------------------------------------------

        /// <summary>RAK3172 sleep (E5).</summary>
        public double RakSleepMa { get; init; } = 0.00169;

        /// <summary>RAK3172 transmitting at the AS923 Japan limit (13 dBm) (E6).</summary>
        public double RakTxMa { get; init; } = 90;

        /// <summary>RAK3172 receiving (E7).</summary>
        public double RakRxMa { get; init; } = 5.22;

        /// <summary>Named parameter: receive time per uplink, RX1 and RX2 windows together, ms (P3).</summary>
        public double RakRxMsPerUplink { get; init; } = 120;

        // ---- SIM7080G (SIM7080 Series SPEC, Low Power Mode Application Note; off current assumed) ---------------------

        /// <summary>Modem powered off (E8).</summary>
        public double ModemOffMa { get; init; } = 0.007;

        /// <summary>Modem in PSM (E9).</summary>
        public double ModemPsmMa { get; init; } = 0.0035;

        /// <summary>Modem registered and idle, UART awake (no AT+CSCLK sleep: DTR is not wired) (E10).</summary>
        public double ModemIdleMa { get; init; } = 10;

        /// <summary>Modem in a data session (publish, acknowledgement) at its maximum power, 21 dBm class 5 (E11).</summary>
        public double ModemTxMa { get; init; } = 164;

        /// <summary>Named parameter: radio-active time per publish (RRC connection, TX, the PUBACK), ms (P4).</summary>
        public double ModemActiveMsPerPublish { get; init; } = 2000;

        /// <summary>Named parameter: radio-active time per attach (cell search, registration, PDP), ms (P5).</summary>
        public double ModemActiveMsPerAttach { get; init; } = 8000;

        // ---- Sensors on the switched rail (SENSOR_PWR) -------------------------------------------------------------

        /// <summary>A02YYUW ultrasonic ranger, average while measuring (E12).</summary>
        public double UltrasonicMa { get; init; } = 8;

        /// <summary>DS18B20 converting (E13).</summary>
        public double ThermometerMa { get; init; } = 1.5;

        /// <summary>DS18B20 12-bit conversion time, ms (E13).</summary>
        public double ThermometerConversionMs { get; init; } = 750;

        /// <summary>ADXL345 measuring at 100 Hz on the 3.3 V rail (E14).</summary>
        public double InclinometerMa { get; init; } = 0.17;

        /// <summary>Sensor rail warm-up after SENSOR_PWR goes high, ms (board README) (P6).</summary>
        public double SensorWarmupMs { get; init; } = 300;

        /// <summary>A02YYUW processed-mode response time: one valid frame, ms (E12).</summary>
        public double UltrasonicMeasureMs { get; init; } = 500;

        /// <summary>Named parameter: tilt oversampling (64 samples at 100 Hz), ms (P7).</summary>
        public double InclinometerMeasureMs { get; init; } = 700;

        // ---- Supply -------------------------------------------------------------------------------------------------

        /// <summary>Quiescent current the CN3791 charger takes from the battery when the panel is dark (E15).</summary>
        public double ChargerLeakMa { get; init; } = 0.010;

        /// <summary>The figures as used (the defaults above).</summary>
        public static CurrentProfile Default { get; } = new();
    }
}
