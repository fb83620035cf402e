using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cli.Commands;
using Gateway.Control.Technician;
using Gateway.Simulation.Hil;
using Gateway.Simulation.VirtualGateway;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gateway.Tests.Hil
{
    public sealed class HilFloodTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-hil-test-").FullName;
        private readonly VirtualCloud _cloud;
        private readonly VirtualGatewayDevice _device;
        private readonly InProcessConsoleLink _link;
        private readonly HilCloudAccess _access;

        public HilFloodTests()
        {
            _cloud = new VirtualCloud(DbPath, Path.Combine(_dir, "keys.json"));
            _device = new VirtualGatewayDevice(_cloud, seed: 11);
            _link = new InProcessConsoleLink(_device);
            _access = new HilCloudAccess
            {
                Readings = _cloud.Store,
                Commissioning = _cloud.Commissioning,
                LatestUplink = () => _device.RecentUplinks.LastOrDefault(),
                DeliverBatch = b => _cloud.Receiver().Ingest("mqtt-lte", b, 0),
                DeliverRecord = r => _cloud.DeliverCommissioning(r, "mqtt-lte"),
            };
        }

        private string DbPath => Path.Combine(_dir, "receiver.db");

        public void Dispose()
        {
            _link.Dispose();
            _cloud.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private HilResult RunFlood()
        {
            HilCommand.ProvisionVirtual(_link, _cloud, 4712, _dir, TextWriter.Null);
            return HilDriver.Run(_link, HilScenario.Flood(), _access, TextWriter.Null);
        }

        private HilResult Recheck(HilResult run)
        {
            var again = new HilResult();
            HilDriver.Check(HilScenario.Flood(), run.DeviceId, run.Cycles, _access, run.Record, new HilDriver.ForgeryOutcome(0, 0, 0, 0), again);
            return again;
        }

        private void Sql(string statement)
        {
            using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = statement;
            Assert.True(cmd.ExecuteNonQuery() >= 1, statement);
        }

        [Fact]
        public void Flood_over_the_virtual_gateway_passes_every_assertion()
        {
            var result = RunFlood();
            Assert.True(result.Passed, string.Join("\n", result.Failures));
            var figures = result.Figures.ToDictionary(f => f.Key, f => f.Value);
            Assert.Equal("99/99", figures["readings"]);
            Assert.Equal("99/99", figures["test_flag"]);
            Assert.Equal("1/1", figures["garbage_flagged"]);
            Assert.Equal("4/4", figures["alarms_raised"]);
            Assert.Equal("4/4", figures["alarms_cleared"]);
            Assert.Equal("0/2", figures["forged_accepted"]);
            Assert.Equal("1", figures["commissioning_verified"]);
            Assert.True(Recheck(result).Passed, "a re-check of an untouched database passes");
        }

        [Fact]
        public void The_check_fails_when_a_reading_is_withheld()
        {
            var run = RunFlood();
            Assert.True(run.Passed);
            Sql($"DELETE FROM readings WHERE device_id = 4712 AND channel = 8 AND time_ms = {run.Cycles[7].TimeMs}");
            var again = Recheck(run);
            Assert.False(again.Passed);
            Assert.Contains(again.Failures, f => f.StartsWith("cycle 7 ", StringComparison.Ordinal) && f.Contains("0 stored readings of channel 8", StringComparison.Ordinal));
        }

        [Fact]
        public void The_check_fails_when_the_test_flag_is_missing()
        {
            var run = RunFlood();
            Sql($"UPDATE readings SET status = 0 WHERE device_id = 4712 AND channel = 2 AND time_ms = {run.Cycles[3].TimeMs}");
            var again = Recheck(run);
            Assert.False(again.Passed);
            Assert.Contains(again.Failures, f => f.Contains("stored without the test flag", StringComparison.Ordinal));
        }

        [Fact]
        public void The_check_fails_when_a_value_differs_or_an_alarm_is_missing()
        {
            var run = RunFlood();
            Sql($"UPDATE readings SET value = value + 1 WHERE device_id = 4712 AND channel = 7 AND time_ms = {run.Cycles[12].TimeMs}");
            Sql("DELETE FROM readings WHERE device_id = 4712 AND channel = 30 AND ((value >> 24) & 255) = 2 AND ((value >> 16) & 255) = 3");
            var again = Recheck(run);
            Assert.Contains(again.Failures, f => f.StartsWith("cycle 12: channel 7 stored", StringComparison.Ordinal));
            Assert.Contains(again.Failures, f => f.StartsWith("alarms differ", StringComparison.Ordinal));
        }

        [Fact]
        public void The_check_fails_when_the_garbage_value_is_dropped_or_passed_as_valid()
        {
            var run = RunFlood();
            var garbage = run.Cycles[HilScenario.Flood().Steps.FindIndex(s => s.Garbage)];
            Sql($"UPDATE readings SET status = 512, value = 99999 WHERE device_id = 4712 AND channel = 2 AND time_ms = {garbage.TimeMs}");
            Assert.Contains(Recheck(run).Failures, f => f.Contains("not flagged", StringComparison.Ordinal));
            Sql($"DELETE FROM readings WHERE device_id = 4712 AND channel = 2 AND time_ms = {garbage.TimeMs}");
            Assert.Contains(Recheck(run).Failures, f => f.Contains("0 stored readings of channel 2", StringComparison.Ordinal));
        }

        /// <summary>
        /// Plays firmware older than the wake timing (no wake line, no ms=), and counts the publishes the in-process
        /// path made during each cycle.
        /// </summary>
        private sealed class TimingLink(InProcessConsoleLink inner, bool older) : IConsoleLink
        {
            public List<int> PublishesPerCycle { get; } = new();

            public string Description => inner.Description;

            public IReadOnlyList<string> Exchange(string command, int timeoutMs)
            {
                var before = Publishes();
                var answer = inner.Exchange(command, timeoutMs);
                if (command.StartsWith("cycle", StringComparison.Ordinal))
                {
                    PublishesPerCycle.Add(Publishes() - before);
                }

                return older
                    ? answer.Where(l => !l.StartsWith("wake:", StringComparison.Ordinal)).Select(l => System.Text.RegularExpressions.Regex.Replace(l, " ms=[0-9]+$", "")).ToList()
                    : answer;
            }

            public void Dispose() => inner.Dispose();

            private int Publishes() => (inner.Device.Transport as Gateway.Simulation.LoopbackTransport)?.Sends ?? 0;
        }

        [Fact]
        public void The_summary_gives_the_wake_and_each_cycle_as_the_virtual_clock_ran()
        {
            HilCommand.ProvisionVirtual(_link, _cloud, 4712, _dir, TextWriter.Null);
            var link = new TimingLink(_link, older: false);
            var result = HilDriver.Run(link, HilScenario.Flood(), _access, TextWriter.Null);
            Assert.True(result.Passed, string.Join("\n", result.Failures));
            var figures = result.Figures.ToDictionary(f => f.Key, f => f.Value);

            // The virtual gateway composes itself without its clock moving, and says so (no modelled boot).
            Assert.Contains(_device.Execute("status"), l => l == WakeTiming.Format(0, 0, false));
            Assert.Equal("0", figures["boot_ms"]);
            Assert.Equal("reset", figures["boot_from"]);

            // Each cycle's ms= is the device clock's time in it: 300 ms per publish on the in-process path, and not
            // the test clock's jump of a cadence period.
            Assert.Equal(33, link.PublishesPerCycle.Count);
            Assert.All(link.PublishesPerCycle, p => Assert.True(p >= 1));
            Assert.Equal(link.PublishesPerCycle.Select(p => (long?)(300L * p)), result.Cycles.Select(c => c.Ms));
            Assert.Equal(Math.Round(link.PublishesPerCycle.Average() * 300, MidpointRounding.AwayFromZero).ToString(System.Globalization.CultureInfo.InvariantCulture), figures["cycle_ms"]);
            Assert.Equal((300 * link.PublishesPerCycle.Max()).ToString(System.Globalization.CultureInfo.InvariantCulture), figures["cycle_ms_max"]);
            Assert.Matches(" boot_ms=0 boot_main_ms=0 boot_from=reset cycle_ms=[0-9]+ cycle_ms_max=[0-9]+ seconds=", result.Summary("flood"));
        }

        [Fact]
        public void Firmware_without_the_timings_still_passes_and_the_summary_says_they_were_not_reported()
        {
            HilCommand.ProvisionVirtual(_link, _cloud, 4712, _dir, TextWriter.Null);
            var output = new StringWriter();
            var result = HilDriver.Run(new TimingLink(_link, older: true), HilScenario.Flood(), _access, output);
            Assert.True(result.Passed, string.Join("\n", result.Failures));
            Assert.All(result.Cycles, c => Assert.Null(c.Ms));
            Assert.Contains(" boot_ms=unreported cycle_ms=unreported seconds=", result.Summary("flood"), StringComparison.Ordinal);
            Assert.Contains("status has no wake line", output.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void An_unprovisioned_gateway_fails_the_run_before_any_cycle()
        {
            var result = HilDriver.Run(_link, HilScenario.Flood(), _access, TextWriter.Null);
            Assert.False(result.Passed);
            Assert.Contains("no device id", result.Failures[0]);
            Assert.Equal(0, _cloud.Store.CountReadings());
        }

        [Fact]
        public void Expected_alarms_follow_the_levels_and_hysteresis()
        {
            var s = new HilScenario { LevelsMm = new[] { 100, 200, 300, 400 }, HysteresisMm = 10 };
            foreach (var level in new[] { 50, 250, 95, 89, 450, 395, 389 })
            {
                s.Steps.Add(new HilStep { Level = level });
            }

            s.Steps.Insert(2, new HilStep { Level = 99999, Garbage = true });
            Assert.Equal(
                new[] { (1, 1, 1), (1, 1, 2), (3, 2, 2), (4, 2, 1), (5, 1, 1), (5, 1, 2), (5, 1, 3), (5, 1, 4), (7, 2, 4) },
                s.ExpectedAlarms());
        }

        [Fact]
        public void A_scenario_file_round_trips_through_the_documented_format()
        {
            var path = Path.Combine(_dir, "s.json");
            File.WriteAllText(path, """{"name":"mini","levels_mm":[1800,2400,3000,3500],"hysteresis_mm":50,"steps":[{"level":900,"battery":3900},{"level":99999,"garbage":true},{"temperature":12000}]}""");
            var s = HilScenario.Get(path);
            Assert.Equal("mini", s.Name);
            Assert.Equal(3, s.Steps.Count);
            Assert.True(s.Steps[1].Garbage);
            Assert.Equal(12000, s.Steps[2].Temperature);
            Assert.Throws<ArgumentException>(() => HilScenario.Get("no-such-scenario"));
        }
    }
}
