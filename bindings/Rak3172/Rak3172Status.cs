namespace Gateway.Bindings.Rak3172
{
    /// <summary>Outcome of a <see cref="Rak3172"/> operation.</summary>
    public enum Rak3172Status : byte
    {
        /// <summary>Done: command accepted; for a send, the frame left (unconfirmed) or was acknowledged (confirmed).</summary>
        Ok = 0,

        /// <summary>The module did not answer in time (asleep, unpowered, wiring, wrong baud rate).</summary>
        Timeout = 1,

        /// <summary>AT_BUSY_ERROR: a previous join or send is still running; try later.</summary>
        Busy = 2,

        /// <summary>Not joined to a network (AT_NO_NETWORK_JOINED, or AT+NJS=0).</summary>
        NotJoined = 3,

        /// <summary>AT_PARAM_ERROR or another refusal of the command itself.</summary>
        Rejected = 4,

        /// <summary>Every join attempt failed (+EVT:JOIN_FAILED_...).</summary>
        JoinFailed = 5,

        /// <summary>A confirmed uplink got no acknowledgement (+EVT:SEND_CONFIRMED_FAILED).</summary>
        NotAcknowledged = 6,

        /// <summary>The payload exceeds what the current data rate may carry under the dwell limit.</summary>
        PayloadTooLarge = 7,

        /// <summary>The band rules (400 ms, 360 s/h, fair use) forbid transmitting now.</summary>
        BudgetExhausted = 8,

        /// <summary>A parameter given to the driver is invalid (port, buffer, data rate).</summary>
        InvalidArgument = 9,
    }
}
