namespace Gateway.Bindings.Rak3172
{
    /// <summary>RUI3 status codes other than OK (RUI3 AT Command Manual, "AT command response").</summary>
    public enum AtError : byte
    {
        /// <summary>No error.</summary>
        None = 0,

        /// <summary>AT_ERROR: generic failure.</summary>
        Generic = 1,

        /// <summary>AT_PARAM_ERROR: a parameter is wrong or malformed.</summary>
        Param = 2,

        /// <summary>AT_BUSY_ERROR: the previous join or send is not finished (RX windows not consumed, duty cycle).</summary>
        Busy = 3,

        /// <summary>AT_TEST_PARAM_OVERFLOW: the parameter is too long.</summary>
        ParamOverflow = 4,

        /// <summary>AT_NO_CLASSB_ENABLE: class B is not enabled.</summary>
        NoClassB = 5,

        /// <summary>AT_NO_NETWORK_JOINED: send attempted before joining.</summary>
        NotJoined = 6,

        /// <summary>AT_RX_ERROR: error while receiving.</summary>
        Rx = 7,

        /// <summary>AT_MODE_NO_SUPPORT: not supported in the current work mode (P2P/LoRaWAN).</summary>
        ModeNotSupported = 8,

        /// <summary>AT_COMMAND_NOT_FOUND: unknown command.</summary>
        CommandNotFound = 9,

        /// <summary>AT_DUTYCYCLE_RESTRICTED or similar: the module refuses to transmit now.</summary>
        Restricted = 10,

        /// <summary>An "AT_..._ERROR" status this driver does not know.</summary>
        Unknown = 11,
    }
}
