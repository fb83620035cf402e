namespace Gateway.Bindings.Pressure
{
    /// <summary>Pure ADS1115 code ↔ voltage conversion (datasheet section 9.3.3: LSB = FSR / 2^15).</summary>
    public static class Ads1115Conversion
    {
        /// <summary>The full-scale range in microvolts.</summary>
        public static int FullScaleMicrovolts(Ads1115Range range)
        {
            switch (range)
            {
                case Ads1115Range.Fsr6144: return 6144000;
                case Ads1115Range.Fsr4096: return 4096000;
                case Ads1115Range.Fsr2048: return 2048000;
                case Ads1115Range.Fsr1024: return 1024000;
                case Ads1115Range.Fsr0512: return 512000;
                default: return 256000;
            }
        }

        /// <summary>One LSB in picovolts (exact for every range: 187 500 000 pV at ±6.144 V .. 7 812 500 pV at ±0.256 V).</summary>
        public static long LsbPicovolts(Ads1115Range range)
        {
            return FullScaleMicrovolts(range) * 1000000L / 32768;
        }

        /// <summary>The input voltage in microvolts for a conversion code, rounded to the nearest microvolt.</summary>
        public static int ToMicrovolts(short code, Ads1115Range range)
        {
            long pv = code * LsbPicovolts(range);
            return (int)(pv >= 0 ? (pv + 500000) / 1000000 : (pv - 500000) / 1000000);
        }

        /// <summary>The code the converter gives for a voltage in microvolts, saturated at 0x7FFF / 0x8000.</summary>
        public static short ToCode(long microvolts, Ads1115Range range)
        {
            long lsb = LsbPicovolts(range);
            long pv = microvolts * 1000000L;
            long code = pv >= 0 ? (pv + lsb / 2) / lsb : (pv - lsb / 2) / lsb;
            if (code > 32767)
            {
                code = 32767;
            }
            else if (code < -32768)
            {
                code = -32768;
            }

            return (short)code;
        }
    }
}
