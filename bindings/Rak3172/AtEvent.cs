namespace Gateway.Bindings.Rak3172
{
    /// <summary>RUI3 "+EVT:" asynchronous events the driver understands.</summary>
    public enum AtEvent : byte
    {
        /// <summary>None.</summary>
        None = 0,

        /// <summary>+EVT:JOINED — the OTAA join succeeded.</summary>
        Joined = 1,

        /// <summary>+EVT:JOIN_FAILED_... (RX_TIMEOUT, TX_TIMEOUT, a code) or "+EVT:JOIN FAILED".</summary>
        JoinFailed = 2,

        /// <summary>+EVT:TX_DONE — an unconfirmed uplink left the radio (RX windows done).</summary>
        TxDone = 3,

        /// <summary>+EVT:SEND_CONFIRMED_OK — the network acknowledged a confirmed uplink.</summary>
        SendConfirmedOk = 4,

        /// <summary>+EVT:SEND_CONFIRMED_FAILED(n) — no acknowledgement after the retransmissions.</summary>
        SendConfirmedFailed = 5,

        /// <summary>+EVT:RX_1/RX_2/RX_B/RX_C:rssi:snr:UNICAST|MULTICAST:port:hex — a downlink.</summary>
        Downlink = 6,

        /// <summary>+EVT:LINKCHECK:result:margin:gateways:rssi:snr (":" or "," separated).</summary>
        LinkCheck = 7,

        /// <summary>+EVT:TIMEREQ_OK — the network time answer arrived (read it with AT+LTIME=?).</summary>
        TimeRequestOk = 8,

        /// <summary>+EVT:TIMEREQ_FAILED — no network time answer.</summary>
        TimeRequestFailed = 9,

        /// <summary>A well-formed event this driver does not act on (e.g. class B beacons).</summary>
        Other = 10,
    }
}
