namespace Gateway.Core.Storage
{
    /// <summary>What the log found about the flash at open: intact, new, or wiped by a reformat.</summary>
    public enum FormatEvidence : byte
    {
        /// <summary>The log state was found: the flash is as the log left it.</summary>
        Intact = 0,

        /// <summary>Nothing was found and there is no mirror: a first boot or an undetected reformat (cannot tell).</summary>
        FreshOrUnknown = 1,

        /// <summary>Log and state are gone but the mirror remembers earlier boots: the flash was reformatted.</summary>
        ReformatDetected = 2,

        /// <summary>Log files exist but the state was lost: sequences continue far above the newest stored one.</summary>
        StateLost = 3,
    }
}
