namespace Gateway.Core.Uplink
{
    /// <summary>
    /// The answer of <see cref="DwellTimeBudget"/> to "may I send N bytes at DR x now? if not, when?".
    /// A value type: asking allocates nothing.
    /// </summary>
    public struct SendPermission
    {
        /// <summary><see cref="EarliestMs"/> when the frame may never be sent as asked.</summary>
        public const long Never = long.MaxValue;

        /// <summary>True when the frame may be sent now.</summary>
        public bool Allowed;

        /// <summary>Earliest time (same time base as the question, ms) the frame may be sent; <see cref="Never"/> if never.</summary>
        public long EarliestMs;

        /// <summary>The rule that decided; <see cref="BudgetLimit.None"/> when allowed.</summary>
        public BudgetLimit Limit;

        /// <summary>Time on air of the frame asked about, in microseconds (-1 when unknown).</summary>
        public long AirtimeUs;
    }
}
