namespace Gateway.Control.Config
{
    /// <summary>What a gateway watches; selects which event logic and which configuration sections apply.</summary>
    public enum SiteKind : byte
    {
        /// <summary>River water level (MLIT crisis-management gauge rules apply).</summary>
        River = 1,

        /// <summary>Snow depth on a road.</summary>
        Snow = 2,

        /// <summary>Slope movement (tilt).</summary>
        Slope = 3,
    }

    /// <summary>An uplink transport.</summary>
    public enum TransportKind : byte
    {
        /// <summary>No transport (unused entry).</summary>
        None = 0,

        /// <summary>LoRaWAN through the UART module.</summary>
        Lora = 1,

        /// <summary>MQTT over the cellular modem.</summary>
        Cellular = 2,

        /// <summary>MQTT over Wi-Fi.</summary>
        Wifi = 3,
    }

    /// <summary>How the ultrasonic distance sensor is read.</summary>
    public enum UltrasonicInterface : byte
    {
        /// <summary>Serial output (e.g. MaxBotix-style "Rnnnn" frames).</summary>
        Uart = 1,

        /// <summary>Trigger and echo pulse timing (HC-SR04 style).</summary>
        Echo = 2,
    }

    /// <summary>How the pressure transducer is read.</summary>
    public enum PressureInterface : byte
    {
        /// <summary>4-20 mA current loop across a shunt into the ADC.</summary>
        CurrentLoop4To20mA = 1,

        /// <summary>Ratiometric voltage output (10 %..90 % of supply).</summary>
        Ratiometric = 2,
    }
}
