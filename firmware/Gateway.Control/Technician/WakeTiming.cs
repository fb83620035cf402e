namespace Gateway.Control.Technician
{
    /// <summary>
    /// The console's <c>status</c> line for how long this wake took to start, from the device's uptime (which restarts
    /// at every reset and deep-sleep wake): when <c>Main</c> was entered and when the node was built and ready for its
    /// first cycle, e.g. <c>wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)</c>. Kept in RAM only
    /// (nothing is written to flash per wake). The words are constants so the host's reader
    /// (WakeReport in tools/Gateway.Simulation/Hil/BoardTimings.cs) matches exactly what is written here.
    /// </summary>
    public static class WakeTiming
    {
        /// <summary>The line's start, before the uptime at <c>Main</c>.</summary>
        public const string Prefix = "wake: main at ";

        /// <summary>Between the uptime at <c>Main</c> and the uptime when ready.</summary>
        public const string Ready = " ms, ready at ";

        /// <summary>After the uptime when ready, before the kind of start.</summary>
        public const string After = " ms after reset (";

        /// <summary>The kind of start after a deep-sleep timer wake.</summary>
        public const string DeepSleepWake = "deep-sleep wake";

        /// <summary>The kind of start after a power-on, the reset button or a reboot.</summary>
        public const string ColdStart = "power-on or reset";

        /// <summary>The line, from uptimes in ms (mainMs ≤ readyMs).</summary>
        public static string Format(long mainMs, long readyMs, bool deepSleepWake)
        {
            return Prefix + mainMs.ToString() + Ready + readyMs.ToString() + After + (deepSleepWake ? DeepSleepWake : ColdStart) + ")";
        }
    }
}
