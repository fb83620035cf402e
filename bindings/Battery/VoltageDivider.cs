namespace Gateway.Bindings.Battery
{
    /// <summary>Pure resistor-divider math for a battery or supply voltage read by the microcontroller's ADC.</summary>
    public static class VoltageDivider
    {
        /// <summary>
        /// The voltage at the top of the divider in millivolts: count / (2^bits − 1) · reference · (top + bottom) / bottom.
        /// </summary>
        public static int ToMillivolts(int count, int bits, int referenceMillivolts, int topOhms, int bottomOhms)
        {
            long full = (1L << bits) - 1;
            long atPin = count * (long)referenceMillivolts;
            return (int)((atPin * (topOhms + (long)bottomOhms) + full * bottomOhms / 2) / (full * bottomOhms));
        }
    }
}
