namespace Gateway.Bindings.Sim7080
{
    /// <summary>Which LTE flavour the modem may use (the value is AT+CMNB's argument).</summary>
    public enum CellularNetworkMode : byte
    {
        /// <summary>LTE Cat-M1 only (AT+CMNB=1): most Japanese carriers' IoT plans.</summary>
        CatM = 1,

        /// <summary>NB-IoT only (AT+CMNB=2).</summary>
        NbIot = 2,

        /// <summary>Cat-M1 and NB-IoT, the modem chooses (AT+CMNB=3).</summary>
        CatMAndNbIot = 3,
    }
}
