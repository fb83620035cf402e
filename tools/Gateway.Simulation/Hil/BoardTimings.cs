using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Gateway.Control.Technician;

namespace Gateway.Simulation.Hil
{
    /// <summary>
    /// A start's timing as the console's <c>status</c> reports it (<see cref="WakeTiming"/>): the uptime at
    /// <c>Main</c> and when the node was ready for its first cycle, ms after the tick counter started, and whether the
    /// start was a deep-sleep wake.
    /// </summary>
    /// <param name="MainMs">Uptime at entry to <c>Main</c>, ms.</param>
    /// <param name="ReadyMs">Uptime when the node was built and ready, ms (≥ <paramref name="MainMs"/>).</param>
    /// <param name="DeepSleepWake">True after a deep-sleep timer wake; false after a power-on, reset or reboot.</param>
    public sealed record WakeReport(long MainMs, long ReadyMs, bool DeepSleepWake)
    {
        /// <summary>What every wake line starts with (a line that starts so but does not parse is malformed).</summary>
        public static readonly string Head = WakeTiming.Prefix[..WakeTiming.Prefix.IndexOf(' ', StringComparison.Ordinal)];

        /// <summary>A millisecond count as the device writes it: ASCII digits, no sign, no leading zero, at most 15 digits.</summary>
        internal const string Milliseconds = "(0|[1-9][0-9]{0,14})";

        private static readonly Regex Line = new(
            "^" + Regex.Escape(WakeTiming.Prefix) + Milliseconds + Regex.Escape(WakeTiming.Ready) + Milliseconds + Regex.Escape(WakeTiming.After)
            + "(" + Regex.Escape(WakeTiming.DeepSleepWake) + "|" + Regex.Escape(WakeTiming.ColdStart) + @")\)\z",
            RegexOptions.CultureInvariant);

        /// <summary>Reads a wake line; false (and null) for anything else, never an exception.</summary>
        public static bool TryParse(string? line, out WakeReport? report)
        {
            report = null;
            var m = line is null ? null : Line.Match(line);
            if (m is null || !m.Success)
            {
                return false;
            }

            var main = long.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var ready = long.Parse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (ready < main)
            {
                return false;
            }

            report = new WakeReport(main, ready, m.Groups[3].Value == WakeTiming.DeepSleepWake);
            return true;
        }
    }

    /// <summary>
    /// The board's own timings a hil run reports (ENERGY.md P1 and P2): the start's <c>boot_ms</c> from the status's
    /// wake line, and the device's uptime per test cycle (<c>cycle_ms</c> mean and max) from the cycle answers'
    /// <c>ms=</c>. Printed, never a pass/fail condition; firmware that does not report them is said to, not guessed.
    /// </summary>
    public static class BoardTimings
    {
        private static readonly Regex CycleUptime = new("(?:^| )" + Regex.Escape(TestCycle.UptimeField.Trim()) + WakeReport.Milliseconds + @"(?: |\z)", RegexOptions.CultureInvariant);

        /// <summary>The value of the figures a device did not report.</summary>
        public const string Unreported = "unreported";

        /// <summary>The value of <c>boot_ms</c> when the wake line is there but does not parse.</summary>
        public const string Malformed = "malformed";

        /// <summary>The device's uptime spent in one cycle (the answer's <c>ms=</c>), or null when the answer has none.</summary>
        public static long? CycleMs(string cycleLine)
        {
            var m = CycleUptime.Match(cycleLine);
            return m.Success ? long.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        }

        /// <summary>
        /// Adds <c>boot_ms</c>, <c>boot_main_ms</c>, <c>boot_from</c>, <c>cycle_ms</c> and <c>cycle_ms_max</c> to
        /// <paramref name="result"/> from the status lines and the cycles; says on <paramref name="output"/> what the
        /// device did not report.
        /// </summary>
        public static void AddFigures(IReadOnlyList<string> status, IReadOnlyList<HilCycle> cycles, HilResult result, TextWriter output)
        {
            var line = status.FirstOrDefault(l => l.StartsWith(WakeReport.Head, StringComparison.Ordinal));
            if (line is null)
            {
                result.Figure("boot_ms", Unreported);
                output.WriteLine("  status has no wake line (firmware without WakeTiming): boot_ms not measured");
            }
            else if (WakeReport.TryParse(line, out var wake))
            {
                result.Figure("boot_ms", wake!.ReadyMs);
                result.Figure("boot_main_ms", wake.MainMs);
                result.Figure("boot_from", wake.DeepSleepWake ? "deep-sleep" : "reset");
            }
            else
            {
                result.Figure("boot_ms", Malformed);
                output.WriteLine("  status's wake line not understood, boot_ms not measured: " + line);
            }

            var ms = cycles.Select(c => c.Ms).OfType<long>().ToList();
            if (ms.Count == 0)
            {
                result.Figure("cycle_ms", Unreported);
                if (cycles.Count > 0)
                {
                    output.WriteLine("  cycle answers carry no ms= (firmware without it): cycle_ms not measured");
                }

                return;
            }

            result.Figure("cycle_ms", Math.Round(ms.Average(), MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture));
            result.Figure("cycle_ms_max", ms.Max());
            if (ms.Count < cycles.Count)
            {
                output.WriteLine($"  only {ms.Count} of {cycles.Count} cycle answers carry ms=: cycle_ms is their mean");
            }
        }
    }
}
