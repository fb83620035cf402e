namespace Gateway.Core.Uplink
{
    /// <summary>Which rule decided a <see cref="SendPermission"/>.</summary>
    public enum BudgetLimit : byte
    {
        /// <summary>Nothing stands in the way: send now.</summary>
        None = 0,

        /// <summary>The frame alone lasts longer than one transmission may (400 ms in Japan): never at this data rate.</summary>
        TransmissionTooLong = 1,

        /// <summary>The payload exceeds the data rate's dwell-limited maximum (or the data rate carries none): never.</summary>
        PayloadTooLarge = 2,

        /// <summary>The pause after the previous transmission has not yet passed.</summary>
        Pause = 3,

        /// <summary>The rolling hour's transmission budget (360 s less the safety margin) is spent until a later time.</summary>
        HourlyBudget = 4,

        /// <summary>The daily fair-use budget of a public network (e.g. 30 s a day) is spent until a later time.</summary>
        DailyFairUse = 5,

        /// <summary>The data rate is not defined in AS923.</summary>
        UnknownDataRate = 6,
    }
}
