namespace Gateway.Core.Uplink
{
    /// <summary>
    /// AS923 (Japan: AS923-1) LoRaWAN data rates and payload limits, per the LoRaWAN Regional Parameters (RP002):
    /// DR0 SF12 … DR5 SF7 at 125 kHz, DR6 SF7 at 250 kHz. With the uplink dwell limit (UplinkDwellTime = 1, required in
    /// Japan) DR0 and DR1 carry no application payload and DR2..DR5 carry 11, 53, 125 and 242 bytes.
    /// </summary>
    public static class As923
    {
        /// <summary>Bytes a LoRaWAN frame adds to the application payload (MHDR 1, FHDR 7, FPort 1, MIC 4).</summary>
        public const int LoRaWanOverheadBytes = 13;

        /// <summary>Longest transmission allowed with 128 µs carrier sense (ARIB STD-T108), in microseconds.</summary>
        public const long MaxDwellMicroseconds = 400000;

        /// <summary>Highest data rate index defined (DR6, SF7 at 250 kHz).</summary>
        public const int MaxDataRate = 6;

        private static readonly int[] DwellLimitedPayload = { 0, 0, 11, 53, 125, 242, 242 };
        private static readonly int[] UnlimitedPayload = { 51, 51, 115, 115, 242, 242, 242 };

        /// <summary>Spreading factor of a data rate (DR0..DR6), or -1 when the data rate is unknown.</summary>
        public static int SpreadingFactor(int dataRate)
        {
            if (dataRate < 0 || dataRate > MaxDataRate)
            {
                return -1;
            }

            return dataRate == 6 ? 7 : 12 - dataRate;
        }

        /// <summary>Bandwidth of a data rate in Hz (125000 or 250000), or -1 when the data rate is unknown.</summary>
        public static int BandwidthHz(int dataRate)
        {
            if (dataRate < 0 || dataRate > MaxDataRate)
            {
                return -1;
            }

            return dataRate == 6 ? 250000 : 125000;
        }

        /// <summary>
        /// Largest application payload (FRMPayload, bytes) at a data rate; 0 when the data rate may not carry payload
        /// (DR0/DR1 under the dwell limit) or is unknown.
        /// </summary>
        /// <param name="dataRate">DR0..DR6.</param>
        /// <param name="uplinkDwellLimit">True in Japan (400 ms per transmission).</param>
        public static int MaxApplicationPayload(int dataRate, bool uplinkDwellLimit)
        {
            if (dataRate < 0 || dataRate > MaxDataRate)
            {
                return 0;
            }

            return uplinkDwellLimit ? DwellLimitedPayload[dataRate] : UnlimitedPayload[dataRate];
        }

        /// <summary>
        /// Time on air in microseconds of an uplink frame carrying <paramref name="applicationPayloadBytes"/> at a data
        /// rate (the 13 bytes of overhead included), or -1 when the data rate or size is out of range.
        /// </summary>
        public static long UplinkMicroseconds(int dataRate, int applicationPayloadBytes)
        {
            if (dataRate < 0 || dataRate > MaxDataRate || applicationPayloadBytes < 0
                || applicationPayloadBytes + LoRaWanOverheadBytes > 255)
            {
                return -1;
            }

            return LoRaAirtime.UplinkMicroseconds(SpreadingFactor(dataRate), BandwidthHz(dataRate),
                applicationPayloadBytes + LoRaWanOverheadBytes);
        }
    }
}
