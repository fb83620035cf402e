namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// What the RAK3172 must be set to: OTAA identity, AS923-1 band, data rate policy and timing. Applied by
    /// <see cref="Rak3172.Initialize"/> only where the module differs (its flash is not rewritten on every wake).
    /// </summary>
    public sealed class Rak3172Settings
    {
        /// <summary>RUI3 AT+BAND value of AS923-1 (Japan, 923.2/923.4 MHz default channels).</summary>
        public const int BandAs923_1 = 8;

        /// <summary>DevEUI, 8 bytes, MSB first as printed on the label.</summary>
        public byte[] DevEui = new byte[8];

        /// <summary>JoinEUI (AppEUI), 8 bytes, MSB first.</summary>
        public byte[] JoinEui = new byte[8];

        /// <summary>AppKey, 16 bytes. Never logged.</summary>
        public byte[] AppKey = new byte[16];

        /// <summary>RUI3 band number (8 = AS923-1).</summary>
        public int Band = BandAs923_1;

        /// <summary>Data rate used when ADR is off (AS923 with dwell limit: 2..5; default 3 = SF9, 53 B).</summary>
        public int DataRate = 3;

        /// <summary>True to let the network server set the data rate (ADR); the driver then re-reads AT+DR after sends.</summary>
        public bool AdaptiveDataRate;

        /// <summary>Join attempts per <see cref="Rak3172.Join"/> call, each one join request (default 3: the scheduler backs off between calls, so a wake is not spent waiting).</summary>
        public int JoinAttempts = 3;

        /// <summary>Ceiling of the first wait between join attempts, ms (full jitter, doubling).</summary>
        public int JoinBackoffBaseMs = 10000;

        /// <summary>Largest wait between join attempts, ms.</summary>
        public int JoinBackoffCapMs = 600000;

        /// <summary>How long to wait for +EVT:JOINED/JOIN_FAILED after AT+JOIN, ms (join accept delays 5 s/6 s plus margin).</summary>
        public int JoinEventTimeoutMs = 15000;

        /// <summary>How long to wait for OK or an error after a command, ms.</summary>
        public int CommandTimeoutMs = 1500;

        /// <summary>How long to wait for +EVT:TX_DONE/SEND_CONFIRMED_* after AT+SEND, ms (RX1 1 s, RX2 2 s, margin).</summary>
        public int SendEventTimeoutMs = 10000;

        /// <summary>True when the AS923 uplink dwell limit applies (always in Japan).</summary>
        public bool UplinkDwellLimit = true;
    }
}
