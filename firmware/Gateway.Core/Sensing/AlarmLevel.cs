namespace Gateway.Core.Sensing
{
    /// <summary>
    /// The named Japanese river levels, in rising order. Appears on air: never renumber.
    /// </summary>
    public enum AlarmLevel : byte
    {
        /// <summary>Below every configured level.</summary>
        None = 0,

        /// <summary>水防団待機水位: flood-fighting teams stand by.</summary>
        Standby = 1,

        /// <summary>はん濫注意水位: caution level.</summary>
        Caution = 2,

        /// <summary>避難判断水位: evacuation decision level.</summary>
        EvacuationDecision = 3,

        /// <summary>はん濫危険水位: flood danger level.</summary>
        Danger = 4,
    }
}
