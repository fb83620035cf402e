namespace Gateway.Bindings.Sim7080
{
    /// <summary>Outcome of a <see cref="Sim7080"/> operation. Every wait is bounded: a missing reply is a status, never a hang.</summary>
    public enum Sim7080Status : byte
    {
        /// <summary>Done.</summary>
        Ok = 0,

        /// <summary>The modem answered nothing within the command's timeout (asleep, off, hung, broken wire).</summary>
        Timeout = 1,

        /// <summary>The modem answered ERROR or +CME ERROR (see <see cref="Sim7080.LastCmeError"/>).</summary>
        Rejected = 2,

        /// <summary>No SIM card, or the SIM is locked or broken (AT+CPIN? not READY, CME 10..15).</summary>
        NoSim = 3,

        /// <summary>Not registered on the network before the attach deadline (no coverage, wrong band or mode).</summary>
        NoCoverage = 4,

        /// <summary>The network refused registration (+CEREG stat 3): SIM not provisioned for LTE-M/NB-IoT, or barred.</summary>
        RegistrationDenied = 5,

        /// <summary>The data connection (AT+CNACT) did not come up: wrong APN, user or password, or no data plan.</summary>
        NoDataConnection = 6,

        /// <summary>AT+SMCONN failed: broker unreachable, wrong host/port/credentials or TLS setup.</summary>
        BrokerUnreachable = 7,

        /// <summary>No MQTT session now (lost: +SMSTATE: 0); call <see cref="Sim7080.Connect"/>.</summary>
        NotConnected = 8,

        /// <summary>The payload exceeds <see cref="Sim7080Settings.MaxPublishBytes"/>.</summary>
        PayloadTooLarge = 9,

        /// <summary>The modem did not answer after a PWRKEY power cycle either: hardware fault.</summary>
        Dead = 10,
    }
}
