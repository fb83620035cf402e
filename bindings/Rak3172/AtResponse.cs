namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// One parsed line from a RUI3 module. Preallocated once and refilled by <see cref="AtResponseParser.Parse"/>, so
    /// parsing allocates nothing; fields not relevant to <see cref="Kind"/> are reset to 0.
    /// </summary>
    public sealed class AtResponse
    {
        /// <summary>Largest downlink payload kept, bytes (a LoRaWAN frame carries at most 242 B in AS923).</summary>
        public const int MaxPayload = 256;

        /// <summary>What the line is.</summary>
        public AtLineKind Kind;

        /// <summary>The status when <see cref="Kind"/> is <see cref="AtLineKind.Error"/>.</summary>
        public AtError Error;

        /// <summary>The event when <see cref="Kind"/> is <see cref="AtLineKind.Event"/>.</summary>
        public AtEvent Event;

        /// <summary>Why the line was rejected when <see cref="Kind"/> is <see cref="AtLineKind.Malformed"/>.</summary>
        public AtMalformedReason Malformed;

        /// <summary>Downlink: receive window (1, 2, or 'B'/'C' as 66/67). Link check: unused.</summary>
        public int Window;

        /// <summary>Downlink or link check: RSSI in dBm.</summary>
        public int Rssi;

        /// <summary>Downlink or link check: SNR in dB.</summary>
        public int Snr;

        /// <summary>Downlink: FPort (0..255). Send failure: the code in parentheses, if any.</summary>
        public int Port;

        /// <summary>Downlink: true for MULTICAST.</summary>
        public bool Multicast;

        /// <summary>Link check: 0 when the network answered.</summary>
        public int LinkResult;

        /// <summary>Link check: demodulation margin, dB.</summary>
        public int LinkMargin;

        /// <summary>Link check: number of gateways that heard the request.</summary>
        public int LinkGateways;

        /// <summary>Downlink payload, or hex value of a query reply when it is hex; <see cref="PayloadLength"/> bytes valid.</summary>
        public readonly byte[] Payload = new byte[MaxPayload];

        /// <summary>Valid bytes in <see cref="Payload"/>; -1 when a query value is not hex.</summary>
        public int PayloadLength;

        /// <summary>Query reply: start of the name after "AT+" in the parsed line.</summary>
        public int NameStart;

        /// <summary>Query reply: length of the name.</summary>
        public int NameLength;

        /// <summary>Query reply or text: start of the value in the parsed line.</summary>
        public int ValueStart;

        /// <summary>Query reply or text: length of the value.</summary>
        public int ValueLength;

        /// <summary>Query reply or text: the value as an integer when it is one (see <see cref="HasNumber"/>).</summary>
        public int Number;

        /// <summary>True when the value is a plain decimal integer.</summary>
        public bool HasNumber;

        internal void Clear()
        {
            Kind = AtLineKind.Empty;
            Error = AtError.None;
            Event = AtEvent.None;
            Malformed = AtMalformedReason.None;
            Window = 0;
            Rssi = 0;
            Snr = 0;
            Port = 0;
            Multicast = false;
            LinkResult = 0;
            LinkMargin = 0;
            LinkGateways = 0;
            PayloadLength = 0;
            NameStart = 0;
            NameLength = 0;
            ValueStart = 0;
            ValueLength = 0;
            Number = 0;
            HasNumber = false;
        }
    }
}
