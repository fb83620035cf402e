namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// One parsed line from a SIM7080G. Preallocated once and refilled by <see cref="Sim7080ResponseParser.Parse"/>, so
    /// parsing allocates nothing; fields not relevant to <see cref="Kind"/> and <see cref="Info"/> are reset.
    /// Spans (start/length) index the line buffer that was parsed and are valid until it is overwritten.
    /// </summary>
    public sealed class Sim7080Response
    {
        /// <summary><see cref="CmeError"/> when the line was a plain "ERROR" (no extended code).</summary>
        public const int PlainError = -1;

        /// <summary><see cref="CmeError"/> for a "+CME ERROR: text" whose text this parser does not map to a code.</summary>
        public const int UnmappedText = 9999;

        /// <summary>What the line is.</summary>
        public Sim7080LineKind Kind;

        /// <summary>Which information line or URC, when <see cref="Kind"/> is <see cref="Sim7080LineKind.Info"/>.</summary>
        public Sim7080Info Info;

        /// <summary>Why the line was rejected, when <see cref="Kind"/> is <see cref="Sim7080LineKind.Malformed"/>.</summary>
        public Sim7080MalformedReason Malformed;

        /// <summary>Error: the 3GPP TS 27.007 CME code (numeric, or mapped from its text with AT+CMEE=2), or <see cref="PlainError"/>.</summary>
        public int CmeError;

        /// <summary>First numeric field (see <see cref="Sim7080Info"/> for its meaning per line).</summary>
        public int Number;

        /// <summary>Second numeric field (see <see cref="Sim7080Info"/>).</summary>
        public int Number2;

        /// <summary>+CPIN: true for "READY".</summary>
        public bool SimReady;

        /// <summary>+CPSI: the radio access in use.</summary>
        public CellSystemMode SystemMode;

        /// <summary>+CPSI: true when the RSRP/RSRQ/RSSI/SINR fields were present (an LTE cell is served).</summary>
        public bool HasCellMetrics;

        /// <summary>+CPSI: reference signal received power, dBm (typically -140..-44).</summary>
        public int RsrpDbm;

        /// <summary>+CPSI: reference signal received quality, dB (typically -20..-3).</summary>
        public int RsrqDb;

        /// <summary>+CPSI: received signal strength, dBm.</summary>
        public int RssiDbm;

        /// <summary>+CPSI: signal to interference plus noise ratio, dB.</summary>
        public int SinrDb;

        /// <summary>+CCLK: the modem's time as Unix milliseconds UTC (its zone offset applied).</summary>
        public long TimeMs;

        /// <summary>+SMSUB: start of the topic (inside the quotes).</summary>
        public int TopicStart;

        /// <summary>+SMSUB: length of the topic.</summary>
        public int TopicLength;

        /// <summary>+SMSUB: start of the message (inside the quotes).</summary>
        public int MessageStart;

        /// <summary>+SMSUB: length of the message as it stands in the line (hex digits when SUBHEX is on).</summary>
        public int MessageLength;

        internal void Clear()
        {
            Kind = Sim7080LineKind.Empty;
            Info = Sim7080Info.None;
            Malformed = Sim7080MalformedReason.None;
            CmeError = 0;
            Number = 0;
            Number2 = 0;
            SimReady = false;
            SystemMode = CellSystemMode.Unknown;
            HasCellMetrics = false;
            RsrpDbm = 0;
            RsrqDb = 0;
            RssiDbm = 0;
            SinrDb = 0;
            TimeMs = 0;
            TopicStart = 0;
            TopicLength = 0;
            MessageStart = 0;
            MessageLength = 0;
        }
    }
}
