using System;
using System.Diagnostics;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Node
{
    /// <summary>
    /// The device's wake cycle as Program.Main runs it after every deep sleep: nothing survives in RAM, so every wake
    /// rebuilds the record log and the node from flash, boots, runs one cycle, suspends and sleeps; power cuts fall
    /// on random flash writes of random wakes.
    /// </summary>
    public sealed class DeepSleepCycleTests
    {
        private readonly ITestOutputHelper _out;

        public DeepSleepCycleTests(ITestOutputHelper output) => _out = output;

        private void Report(string line)
        {
            _out.WriteLine(line);
            Console.WriteLine(line);
        }

        [Fact]
        public void Ten_thousand_deep_sleep_wakes_with_power_cuts_lose_no_committed_reading_and_store_none_twice()
        {
            var watch = Stopwatch.StartNew();
            using var rig = new DeepSleepRig(seed: 20261121, lora: false);

            // A one-day link outage in the middle of the ~5.6 virtual days: the backlog waits in flash and goes out afterwards.
            long day = 86_400_000L;
            rig.AddOutage(rig.StartWallMs + 2 * day, rig.StartWallMs + 3 * day);
            for (int i = 0; i < 10_000; i++)
            {
                rig.Wake();
            }

            int flushRounds = rig.FinalFlush(400);
            var received = rig.ReceivedReadings();
            var bySequence = received.GroupBy(r => r.Sequence).ToDictionary(g => g.Key, g => g.ToList());
            int lost = rig.Committed.Keys.Count(s => !bySequence.ContainsKey(s));
            int wrong = rig.Committed.Count(kv => bySequence.TryGetValue(kv.Key, out var rows)
                && (rows[0].Value != kv.Value.Value || rows[0].TimeMs != kv.Value.TimeMs || rows[0].Channel != kv.Value.Channel));
            int storedTwice = bySequence.Count(kv => kv.Value.Count > 1);

            Report($"deep-sleep mqtt: wakes={rig.Wakes} power_cuts={rig.Cuts} cuts_during_boot={rig.CutsDuringBoot} boot_counter={rig.LastBootCounter} " +
                   $"readings_committed={rig.Committed.Count} readings_received={received.Count} lost={lost} altered={wrong} stored_twice={storedTwice} " +
                   $"sends={rig.Sends} outage_wakes={rig.OutageWakes} flush_rounds={flushRounds} virtual_days={(rig.Clock.WallTimeMs - rig.StartWallMs) / (double)day:F1} wall_s={watch.Elapsed.TotalSeconds:F1}");

            Assert.Empty(rig.Violations);
            Assert.True(rig.Cuts > 1_000, $"power cuts exercised: {rig.Cuts}");
            Assert.True(rig.CutsDuringBoot > 100, $"cuts during boot exercised: {rig.CutsDuringBoot}");
            Assert.True(rig.OutageWakes > 1_000, $"wakes inside the outage: {rig.OutageWakes}");
            Assert.True(rig.Committed.Count > 8_000, $"readings committed: {rig.Committed.Count}");
            Assert.Equal(0, lost);
            Assert.Equal(0, wrong);
            Assert.Equal(0, storedTwice);
            Assert.True(flushRounds < 400, "the final flush drained the log");
        }

        [Fact]
        public void A_level_alarm_is_raised_at_the_first_wake_only_because_the_node_keeps_the_detector_state_across_deep_sleeps()
        {
            int Run()
            {
                using var rig = new DeepSleepRig(seed: 99, lora: false);
                rig.CutProbability = 0;
                rig.Sensing = new Gateway.Core.Sensing.Events.SensingSettings { StandbyLevelMm = 300 }; // the river (400–800 mm) is above it
                for (int i = 0; i < 300; i++)
                {
                    rig.Wake();
                }

                Assert.Empty(rig.Violations);
                return rig.AlarmsRaised;
            }

            int alarms = Run();
            Report($"deep-sleep alarms over 300 wakes above the standby level: {alarms}");
            // Only the first wake raises (its alarm records); a node that forgot its detector state would raise them at
            // every wake (300 times as many).
            Assert.InRange(alarms, 1, 2);
        }

        [Fact]
        public void Over_LoRaWAN_deep_sleep_and_module_resets_rejoin_only_when_the_session_is_really_lost()
        {
            var watch = Stopwatch.StartNew();
            using var rig = new DeepSleepRig(seed: 7311, lora: true);
            rig.CutProbability = 0.1;
            rig.Module!.SessionSurvivesReset = true;
            for (int i = 0; i < 4_000; i++)
            {
                rig.Wake();
            }

            int joinsWhileKept = rig.Module.JoinRequests;
            var resetsBefore = rig.Cuts;

            // The module loses its session once (firmware that does not keep it, or a factory reset).
            rig.Module.SessionSurvivesReset = false;
            rig.Module.Reset();
            rig.Module.SessionSurvivesReset = true;
            for (int i = 0; i < 1_000; i++)
            {
                rig.Wake();
            }

            int joinsAfterLoss = rig.Module.JoinRequests;
            int flushRounds = rig.FinalFlush(600);
            var received = rig.ReceivedReadings();
            int lost = rig.Committed.Keys.Count(s => received.All(r => r.Sequence != s));
            int storedTwice = received.Count - received.Select(r => r.Sequence).Distinct().Count();

            Report($"deep-sleep lora: wakes={rig.Wakes} power_cuts={rig.Cuts} (before loss {resetsBefore}) join_requests_session_kept={joinsWhileKept} " +
                   $"join_requests_after_one_loss={joinsAfterLoss} uplinks={rig.Module.UplinksSent} readings_committed={rig.Committed.Count} " +
                   $"readings_received={received.Count} lost={lost} stored_twice={storedTwice} flush_rounds={flushRounds} wall_s={watch.Elapsed.TotalSeconds:F1}");

            Assert.Empty(rig.Violations);
            Assert.True(rig.Cuts > 50, $"power cuts exercised: {rig.Cuts}");
            Assert.Equal(1, joinsWhileKept);
            Assert.Equal(2, joinsAfterLoss);
            Assert.Equal(0, lost);
            Assert.Equal(0, storedTwice);
        }
    }
}
