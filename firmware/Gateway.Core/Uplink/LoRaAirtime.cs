namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Time on air of one LoRa frame, from the Semtech formula (SX1276 datasheet §4.1.1.6, AN1200.13), computed in
    /// integer arithmetic so the result is exact to the nanosecond for the usual bandwidths (125, 250, 500 kHz) on
    /// every target, with no floating point.
    /// </summary>
    /// <remarks>
    /// Tsym = 2^SF / BW; Tpreamble = (Npreamble + 4.25)·Tsym;
    /// Npayload = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE)))·(CR + 4), 0);
    /// ToA = Tpreamble + Npayload·Tsym. The preamble is counted in quarter symbols so 4.25 stays an integer.
    /// </remarks>
    public static class LoRaAirtime
    {
        /// <summary>Low data rate optimisation chosen by the rule (on when a symbol lasts 16 ms or more).</summary>
        public const int LowDataRateAuto = -1;

        /// <summary>Low data rate optimisation forced off.</summary>
        public const int LowDataRateOff = 0;

        /// <summary>Low data rate optimisation forced on.</summary>
        public const int LowDataRateOn = 1;

        /// <summary>
        /// Time on air in nanoseconds, or -1 when a parameter is out of range.
        /// </summary>
        /// <param name="spreadingFactor">SF, 6..12.</param>
        /// <param name="bandwidthHz">Bandwidth in Hz, 1..1,000,000 (125000, 250000, 500000 usual).</param>
        /// <param name="phyPayloadBytes">PHY payload in bytes, 0..255 (LoRaWAN: application payload + 13).</param>
        /// <param name="preambleSymbols">Programmed preamble length in symbols, 6..65535 (LoRaWAN: 8).</param>
        /// <param name="codingRate">1..4 for 4/5..4/8.</param>
        /// <param name="explicitHeader">True for the explicit header (LoRaWAN uses it).</param>
        /// <param name="crcOn">True when the payload CRC is sent (LoRaWAN uplinks: on; downlinks: off).</param>
        /// <param name="lowDataRate">One of <see cref="LowDataRateAuto"/>, <see cref="LowDataRateOff"/>, <see cref="LowDataRateOn"/>.</param>
        public static long TimeOnAirNanoseconds(int spreadingFactor, int bandwidthHz, int phyPayloadBytes, int preambleSymbols,
            int codingRate, bool explicitHeader, bool crcOn, int lowDataRate)
        {
            if (spreadingFactor < 6 || spreadingFactor > 12 || bandwidthHz <= 0 || bandwidthHz > 1000000
                || phyPayloadBytes < 0 || phyPayloadBytes > 255 || preambleSymbols < 0 || preambleSymbols > 65535
                || codingRate < 1 || codingRate > 4 || lowDataRate < LowDataRateAuto || lowDataRate > LowDataRateOn)
            {
                return -1;
            }

            long chips = 1L << spreadingFactor; // one symbol lasts 2^SF chips of 1/BW seconds
            bool de;
            if (lowDataRate == LowDataRateAuto)
            {
                // Tsym >= 16 ms  <=>  2^SF * 1000 >= 16 * BW
                de = chips * 1000L >= 16L * bandwidthHz;
            }
            else
            {
                de = lowDataRate == LowDataRateOn;
            }

            long numerator = 8L * phyPayloadBytes - 4L * spreadingFactor + 28 + (crcOn ? 16 : 0) - (explicitHeader ? 0 : 20);
            long denominator = 4L * (spreadingFactor - (de ? 2 : 0));
            long blocks = 0;
            if (numerator > 0)
            {
                blocks = (numerator + denominator - 1) / denominator; // ceil for positive numerator
            }

            long payloadSymbols = 8 + blocks * (codingRate + 4);

            // Whole duration in quarter symbols: (Npreamble + 4.25) * 4 + Npayload * 4.
            long quarterSymbols = 4L * preambleSymbols + 17 + 4L * payloadSymbols;

            // ToA[ns] = quarterSymbols / 4 * chips / BW * 1e9. Largest product: 4*65535+... ~ 2^18 * 2^12 * 1e9 fits in long.
            long numeratorNs = quarterSymbols * chips * 1000000000L;
            long denominatorNs = 4L * bandwidthHz;
            return (numeratorNs + denominatorNs / 2) / denominatorNs;
        }

        /// <summary>Time on air in microseconds (rounded to the nearest), or -1 when a parameter is out of range.</summary>
        public static long TimeOnAirMicroseconds(int spreadingFactor, int bandwidthHz, int phyPayloadBytes, int preambleSymbols,
            int codingRate, bool explicitHeader, bool crcOn, int lowDataRate)
        {
            long ns = TimeOnAirNanoseconds(spreadingFactor, bandwidthHz, phyPayloadBytes, preambleSymbols, codingRate,
                explicitHeader, crcOn, lowDataRate);
            return ns < 0 ? -1 : (ns + 500) / 1000;
        }

        /// <summary>
        /// Time on air in microseconds of a LoRaWAN uplink frame: explicit header, CRC on, coding rate 4/5, preamble 8,
        /// low data rate optimisation by the rule. -1 when a parameter is out of range.
        /// </summary>
        /// <param name="spreadingFactor">SF, 7..12.</param>
        /// <param name="bandwidthHz">125000 or 250000 on AS923.</param>
        /// <param name="phyPayloadBytes">Application payload + 13 bytes of LoRaWAN overhead.</param>
        public static long UplinkMicroseconds(int spreadingFactor, int bandwidthHz, int phyPayloadBytes)
        {
            return TimeOnAirMicroseconds(spreadingFactor, bandwidthHz, phyPayloadBytes, 8, 1, true, true, LowDataRateAuto);
        }
    }
}
