namespace Gateway.Bindings.Pressure
{
    /// <summary>
    /// The ADS1115 programmable-gain full-scale ranges (datasheet table 3, PGA[2:0]). The code is 16-bit two's
    /// complement: LSB = FSR / 32768.
    /// </summary>
    public enum Ads1115Range : byte
    {
        /// <summary>±6.144 V, LSB 187.5 µV (the input may never exceed VDD + 0.3 V).</summary>
        Fsr6144 = 0,

        /// <summary>±4.096 V, LSB 125 µV.</summary>
        Fsr4096 = 1,

        /// <summary>±2.048 V, LSB 62.5 µV (power-on default).</summary>
        Fsr2048 = 2,

        /// <summary>±1.024 V, LSB 31.25 µV.</summary>
        Fsr1024 = 3,

        /// <summary>±0.512 V, LSB 15.625 µV.</summary>
        Fsr0512 = 4,

        /// <summary>±0.256 V, LSB 7.8125 µV.</summary>
        Fsr0256 = 5,
    }
}
