using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Control.Technician;
using Gateway.Simulation.Hil;
using Xunit;

namespace Gateway.Tests.Hil
{
    /// <summary>
    /// The board's timings hil reads: the status's wake line as the device writes it (WakeTiming) read back exactly,
    /// anything else refused without an exception; the cycles' ms=; the summary's figures, and what it says when the
    /// firmware reports neither.
    /// </summary>
    public sealed class BoardTimingsTests
    {
        [Theory]
        [InlineData(0L, 0L, false)]
        [InlineData(640L, 1180L, true)]
        [InlineData(1L, 1L, true)]
        [InlineData(999_999_999_999L, 999_999_999_999L, false)]
        public void A_wake_line_reads_back_what_the_device_wrote(long main, long ready, bool deepSleep)
        {
            var line = WakeTiming.Format(main, ready, deepSleep);
            Assert.True(WakeReport.TryParse(line, out var report), line);
            Assert.Equal(new WakeReport(main, ready, deepSleep), report);
        }

        [Fact]
        public void The_format_is_the_documented_line()
        {
            Assert.Equal("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)", WakeTiming.Format(640, 1180, true));
            Assert.Equal("wake: main at 12 ms, ready at 30 ms after reset (power-on or reset)", WakeTiming.Format(12, 30, false));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("wake:")]
        [InlineData("wake: main at ms, ready at 1180 ms after reset (deep-sleep wake)")]
        [InlineData("wake: main at -640 ms, ready at 1180 ms after reset (deep-sleep wake)")]
        [InlineData("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake) ")]
        [InlineData(" wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)")]
        [InlineData("wake: main at 640 ms, ready at 1180 ms after reset (deep sleep)")]
        [InlineData("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake")]
        [InlineData("wake: main at 640 ms, ready at 1180.5 ms after reset (deep-sleep wake)")]
        [InlineData("wake: main at 1180 ms, ready at 640 ms after reset (deep-sleep wake)")] // ready before main
        [InlineData("wake: main at 6４0 ms, ready at 1180 ms after reset (deep-sleep wake)")] // a full-width digit
        [InlineData("wake: main at ١٢ ms, ready at 1180 ms after reset (deep-sleep wake)")] // Arabic-Indic digits
        [InlineData("wake: main at 99999999999999999999 ms, ready at 99999999999999999999 ms after reset (deep-sleep wake)")]
        [InlineData("WAKE: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)")]
        [InlineData("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)\nOK")]
        [InlineData("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)\n")]
        [InlineData("wake: main at 0640 ms, ready at 1180 ms after reset (deep-sleep wake)")] // never written so
        public void Anything_but_the_line_is_refused(string? line)
        {
            Assert.False(WakeReport.TryParse(line, out var report));
            Assert.Null(report);
        }

        [Fact]
        public void Mutated_lines_are_refused_or_read_as_exactly_what_they_say()
        {
            // Seeded: any failure replays. A line that is accepted must be the device's own format of what it read.
            var random = new Random(20261206);
            var alphabet = "0123456789 wakeminty:,.()-sdplbr\u00a0\u0660\uFF10\n";
            var accepted = 0;
            for (var i = 0; i < 20_000; i++)
            {
                var chars = WakeTiming.Format(random.Next(0, 5000), random.Next(5000, 100_000), random.Next(2) == 0).ToList();
                for (var edits = random.Next(1, 4); edits > 0; edits--)
                {
                    var at = random.Next(chars.Count + 1);
                    switch (random.Next(3))
                    {
                        case 0 when at < chars.Count:
                            chars.RemoveAt(at);
                            break;
                        case 1 when at < chars.Count:
                            chars[at] = alphabet[random.Next(alphabet.Length)];
                            break;
                        default:
                            chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                            break;
                    }
                }

                var line = new string(chars.ToArray());
                if (WakeReport.TryParse(line, out var report))
                {
                    accepted++;
                    Assert.True(report!.ReadyMs >= report.MainMs, line);
                    Assert.Equal(line, WakeTiming.Format(report.MainMs, report.ReadyMs, report.DeepSleepWake));
                }
            }

            Assert.True(accepted > 0, "some mutations only change a digit and still read");
        }

        [Theory]
        [InlineData("cycle 1 t=1780289411100 ch2=1700/0x0200 stored=3 alarms=1 level=0 sent acked ms=600", 600L)]
        [InlineData("cycle 1 t=1 ch2=1/0x0000 stored=1 alarms=0 level=0 flushed=0 queued ms=0", 0L)]
        [InlineData("cycle 1 t=1780289411100 ch2=1700/0x0200 stored=3 alarms=1 level=0 sent acked", null)]
        [InlineData("cycle 1 t=1 xms=5 stored=1", null)]
        [InlineData("cycle 1 t=1 ms=-5", null)]
        [InlineData("cycle 1 t=1 ms=99999999999999999999", null)]
        [InlineData("cycle 1 t=1 ms=１２", null)]
        [InlineData("cycle 1 t=1 ms=12\n", null)]
        public void A_cycle_answer_gives_its_ms_or_nothing(string line, long? ms)
        {
            Assert.Equal(ms, BoardTimings.CycleMs(line));
        }

        private static Dictionary<string, string> Figures(IReadOnlyList<string> status, IReadOnlyList<HilCycle> cycles, out string said)
        {
            var result = new HilResult();
            var output = new StringWriter();
            BoardTimings.AddFigures(status, cycles, result, output);
            said = output.ToString();
            return result.Figures.ToDictionary(f => f.Key, f => f.Value);
        }

        private static HilCycle Cycle(int i, long? ms) => new(i, 1000 + i, "cycle", ms);

        [Fact]
        public void The_summary_gives_the_ready_time_and_the_cycles_mean_and_max()
        {
            var f = Figures(new[] { "device-id: 7", "board: esp32-rak3172", WakeTiming.Format(640, 1180, true), "OK" },
                new[] { Cycle(0, 400), Cycle(1, 401), Cycle(2, 900) }, out var said);
            Assert.Equal("1180", f["boot_ms"]);
            Assert.Equal("640", f["boot_main_ms"]);
            Assert.Equal("deep-sleep", f["boot_from"]);
            Assert.Equal("567", f["cycle_ms"]); // 1701 / 3 = 567
            Assert.Equal("900", f["cycle_ms_max"]);
            Assert.Equal("", said);

            f = Figures(new[] { WakeTiming.Format(10, 20, false) }, new[] { Cycle(0, 1), Cycle(1, 2) }, out _);
            Assert.Equal("reset", f["boot_from"]);
            Assert.Equal("2", f["cycle_ms"]); // 1.5 rounds away from zero
        }

        [Fact]
        public void Firmware_without_the_timings_is_said_to_be_so_not_guessed()
        {
            var f = Figures(new[] { "device-id: 7", "board: esp32-rak3172", "OK" }, new[] { Cycle(0, null), Cycle(1, null) }, out var said);
            Assert.Equal(BoardTimings.Unreported, f["boot_ms"]);
            Assert.Equal(BoardTimings.Unreported, f["cycle_ms"]);
            Assert.False(f.ContainsKey("boot_main_ms") || f.ContainsKey("cycle_ms_max"));
            Assert.Contains("status has no wake line", said, StringComparison.Ordinal);
            Assert.Contains("cycle answers carry no ms=", said, StringComparison.Ordinal);

            f = Figures(new[] { "wake: main at soon, ready later" }, new[] { Cycle(0, 5), Cycle(1, null) }, out said);
            Assert.Equal(BoardTimings.Malformed, f["boot_ms"]);
            Assert.Contains("wake line not understood", said, StringComparison.Ordinal);
            Assert.Equal("5", f["cycle_ms"]);
            Assert.Contains("only 1 of 2 cycle answers", said, StringComparison.Ordinal);
        }
    }
}
