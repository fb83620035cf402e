using System;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// Device figures: one line each, <c>device-figure: NAME VALUE</c>, through the test framework's output (the
    /// maintainers' runs collect them). Heap figures come from nanoFramework.Runtime.Native.GC.Run(false), which
    /// collects without compacting (never Run(true): the Linux interpreter crashes compacting) and returns the free
    /// bytes; times from Environment.TickCount64 (milliseconds).
    /// </summary>
    public static class DeviceFigures
    {
        /// <summary>Prints one figure line.</summary>
        public static void Print(string name, long value)
        {
            OutputHelper.WriteLine("device-figure: " + name + " " + value.ToString());
        }

        /// <summary>Collects garbage (no compaction) and returns the free managed heap, bytes.</summary>
        public static long HeapFree()
        {
            return (long)nanoFramework.Runtime.Native.GC.Run(false);
        }

        /// <summary>A millisecond tick for durations.</summary>
        public static long NowMs()
        {
            return Environment.TickCount64;
        }
    }
}
