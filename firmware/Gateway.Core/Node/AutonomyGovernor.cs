namespace Gateway.Core.Node
{
    /// <summary>
    /// Keeps a gateway alive through a dark winter: from the supply voltage (the battery channel's reading) it
    /// estimates the state of charge and stretches the quiet-mode routine by documented steps as the battery falls.
    /// Alarms, the MLIT cadence above the observation-start level (observing, rapid) and the daily alive message are
    /// never stretched. A step is entered as soon as the charge falls below its threshold and left only when the
    /// charge is <see cref="HysteresisPercent"/> above it, so it never flaps.
    ///
    /// | step | name | state of charge | quiet recording / sampling / backlog sends |
    /// | --- | --- | --- | --- |
    /// | 0 | normal | ≥ 50 % | as configured (10 min / 5 min / daily) |
    /// | 1 | saving | &lt; 50 % | × 2 |
    /// | 2 | low | &lt; 30 % | × 3 |
    /// | 3 | critical | &lt; 15 % (or the voltage below <see cref="CriticalMillivolts"/>) | × 6 |
    /// </summary>
    public sealed class AutonomyGovernor
    {
        /// <summary>Li-ion (NMC, e.g. 18650) open-circuit voltage, millivolts, falling, with <see cref="LiIonPercent"/>.</summary>
        private static readonly int[] LiIonMillivolts = { 4200, 4060, 3980, 3920, 3870, 3820, 3790, 3770, 3740, 3680, 3450, 3000 };

        private static readonly int[] LiIonPercent = { 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 5, 0 };

        /// <summary>Li-SOCl2 primary cell under a light load: flat near 3.6 V until the very end.</summary>
        private static readonly int[] PrimaryMillivolts = { 3600, 3450, 3300, 3100, 2800 };

        private static readonly int[] PrimaryPercent = { 100, 20, 10, 5, 0 };

        private static readonly int[] Stretches = { 1, 2, 3, 6 };

        /// <summary>Number of steps.</summary>
        public const int Steps = 4;

        /// <summary>True for a primary (Li-SOCl2) cell, false for a rechargeable Li-ion cell (default).</summary>
        public bool PrimaryCell;

        /// <summary>Below this state of charge (percent): step 1, saving.</summary>
        public int SavingBelowPercent = 50;

        /// <summary>Below this state of charge (percent): step 2, low.</summary>
        public int LowBelowPercent = 30;

        /// <summary>Below this state of charge (percent): step 3, critical.</summary>
        public int CriticalBelowPercent = 15;

        /// <summary>A step is left only when the charge is this much above its threshold (percent).</summary>
        public int HysteresisPercent = 10;

        /// <summary>Below this supply voltage the step is critical whatever the estimate says (millivolts).</summary>
        public int CriticalMillivolts = 3300;

        /// <summary>The step in force (0 normal … 3 critical).</summary>
        public int Step { get; private set; }

        /// <summary>The last supply voltage used, millivolts (0: none yet).</summary>
        public int Millivolts { get; private set; }

        /// <summary>The last state-of-charge estimate, percent (-1: none yet).</summary>
        public int SocPercent { get; private set; } = -1;

        /// <summary>Steps changed since construction (degraded or recovered).</summary>
        public int Changes { get; private set; }

        /// <summary>How many times the quiet-mode intervals are stretched at the current step.</summary>
        public int Stretch
        {
            get { return Stretches[Step]; }
        }

        /// <summary>The step's name, for the console.</summary>
        public static string Name(int step)
        {
            switch (step)
            {
                case 0:
                    return "normal";
                case 1:
                    return "saving";
                case 2:
                    return "low";
                default:
                    return "critical";
            }
        }

        /// <summary>After a wake: resumes the step whose stretch was in force before the sleep (1: normal).</summary>
        public void Resume(int stretch)
        {
            for (int s = 0; s < Steps; s++)
            {
                if (Stretches[s] == stretch)
                {
                    Step = s;
                }
            }
        }

        /// <summary>Takes a supply voltage reading; returns true when the step changed.</summary>
        public bool Update(int millivolts)
        {
            if (millivolts <= 0)
            {
                return false;
            }

            Millivolts = millivolts;
            int soc = PrimaryCell ? Interpolate(millivolts, PrimaryMillivolts, PrimaryPercent) : Interpolate(millivolts, LiIonMillivolts, LiIonPercent);
            SocPercent = soc;
            int target = Target(soc, millivolts, 0);
            if (target < Step)
            {
                // Recover only with margin, and to the step the margin allows.
                int recovered = Target(soc, millivolts, HysteresisPercent);
                target = recovered < Step ? recovered : Step;
            }

            if (target == Step)
            {
                return false;
            }

            Step = target;
            Changes++;
            return true;
        }

        /// <summary>The state of charge (percent) a rechargeable Li-ion cell's open-circuit voltage means.</summary>
        public static int LiIonSocPercent(int millivolts)
        {
            return Interpolate(millivolts, LiIonMillivolts, LiIonPercent);
        }

        private int Target(int soc, int millivolts, int margin)
        {
            if (soc < CriticalBelowPercent + margin || millivolts < CriticalMillivolts)
            {
                return 3;
            }

            if (soc < LowBelowPercent + margin)
            {
                return 2;
            }

            return soc < SavingBelowPercent + margin ? 1 : 0;
        }

        private static int Interpolate(int millivolts, int[] volts, int[] percent)
        {
            if (millivolts >= volts[0])
            {
                return percent[0];
            }

            for (int i = 1; i < volts.Length; i++)
            {
                if (millivolts >= volts[i])
                {
                    int span = volts[i - 1] - volts[i];
                    return percent[i] + (percent[i - 1] - percent[i]) * (millivolts - volts[i]) / span;
                }
            }

            return 0;
        }
    }
}
