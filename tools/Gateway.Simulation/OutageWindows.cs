using System.Collections.Generic;

namespace Gateway.Simulation
{
    /// <summary>The link outages of a run: wall-clock windows [start, end) in Unix ms.</summary>
    public static class OutageWindows
    {
        /// <summary>True when <paramref name="wallMs"/> falls inside one of <paramref name="outages"/>.</summary>
        public static bool Contains(IReadOnlyList<(long Start, long End)> outages, long wallMs)
        {
            foreach (var (start, end) in outages)
            {
                if (wallMs >= start && wallMs < end)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
