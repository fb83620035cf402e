namespace Gateway.Control.Config
{
    /// <summary>transport.cellular.mode: which LTE flavour the cellular modem may use.</summary>
    public enum CellularMode : byte
    {
        /// <summary>"catm": LTE Cat-M1 only (the default; what Japanese carriers' IoT plans offer most widely).</summary>
        CatM = 0,

        /// <summary>"nbiot": NB-IoT only.</summary>
        NbIot = 1,

        /// <summary>"both": Cat-M1 or NB-IoT, the modem chooses.</summary>
        Both = 2,
    }
}
