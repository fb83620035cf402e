namespace Gateway.Bindings.Sim7080
{
    /// <summary>Radio figures for commissioning and health (AT+CSQ, AT+CPSI?, AT+CEREG?). Refilled in place.</summary>
    public sealed class Sim7080Signal
    {
        /// <summary>AT+CSQ rssi index: 0 (-115 dBm or less) .. 31 (-52 dBm or more), 99 unknown.</summary>
        public int CsqRssi = 99;

        /// <summary>Radio access in use.</summary>
        public CellSystemMode Mode;

        /// <summary>True when <see cref="RsrpDbm"/>, <see cref="RsrqDb"/>, <see cref="SinrDb"/> are valid.</summary>
        public bool HasCellMetrics;

        /// <summary>Reference signal received power, dBm (-140..-44; below -115 is marginal for LTE-M).</summary>
        public int RsrpDbm;

        /// <summary>Reference signal received quality, dB.</summary>
        public int RsrqDb;

        /// <summary>Signal to interference plus noise ratio, dB.</summary>
        public int SinrDb;

        /// <summary>EPS registration state (3GPP TS 27.007 +CEREG stat: 1 home, 5 roaming, 2 searching, 3 denied, 0 idle).</summary>
        public int Registration = -1;

        /// <summary>RSSI in dBm from the CSQ index (-113 + 2·index), or 0 when unknown.</summary>
        public int CsqDbm
        {
            get { return CsqRssi == 99 ? 0 : -113 + 2 * CsqRssi; }
        }
    }
}
