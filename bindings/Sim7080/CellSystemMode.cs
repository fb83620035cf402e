namespace Gateway.Bindings.Sim7080
{
    /// <summary>The radio access the modem reports in AT+CPSI? (its first field).</summary>
    public enum CellSystemMode : byte
    {
        /// <summary>Not read yet, or a mode this driver does not name.</summary>
        Unknown = 0,

        /// <summary>"NO SERVICE": no cell found.</summary>
        NoService = 1,

        /// <summary>"LTE CAT-M1".</summary>
        CatM = 2,

        /// <summary>"LTE NB-IOT".</summary>
        NbIot = 3,

        /// <summary>"GSM" (not used by this driver: AT+CNMP=38 keeps the modem on LTE).</summary>
        Gsm = 4,
    }
}
