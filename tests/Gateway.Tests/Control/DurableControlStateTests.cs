using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Gateway.Control;
using Gateway.Control.Provisioning;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;
using Gateway.Virtual.Flash;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Control
{
    /// <summary>
    /// The device composition's durable files (Gateway.Control: ControlBlobs, ResetRecord, SleepState) over the
    /// virtual flash with power cuts, and the watchdog's supervisor (the ESP32 passes its software reset as the reboot).
    /// </summary>
    public sealed class DurableControlStateTests
    {
        private readonly ITestOutputHelper _out;

        public DurableControlStateTests(ITestOutputHelper output) => _out = output;

        private static string RepoFile(string relative)
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Gateway.nfproj.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir!.FullName, relative);
        }

        [Fact]
        public void The_watchdog_reboots_once_the_loop_stops_checking_in_and_hands_over_the_stage_first()
        {
            string? stage = null;
            long silent = 0;
            int reboots = 0;
            int rebootsAtHandler = -1;
            var rebooted = new System.Threading.ManualResetEventSlim();
            var watchdog = new Watchdog(1000,
                (s, ms) => { stage = s; silent = ms; rebootsAtHandler = reboots; },
                () => { System.Threading.Interlocked.Increment(ref reboots); rebooted.Set(); System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); });
            watchdog.Start();

            // The stand-in "reboot" parks the supervisor thread for ever: make it a background thread so the test
            // process can end.
            var thread = (System.Threading.Thread)typeof(Watchdog).GetField("_thread", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(watchdog)!;
            thread.IsBackground = true;

            // A loop that checks in keeps the device up.
            for (int i = 0; i < 8; i++)
            {
                watchdog.CheckIn("cycle");
                System.Threading.Thread.Sleep(200);
            }

            Assert.Equal(0, reboots);
            Assert.Null(stage);

            // The loop hangs in the uplink.
            watchdog.CheckIn("send");
            Assert.True(rebooted.Wait(TimeSpan.FromSeconds(5)), "no reboot within 5 s of silence");
            Assert.Equal(1, reboots);
            Assert.Equal("send", stage);
            Assert.Equal(0, rebootsAtHandler);
            Assert.InRange(silent, 1000, 3000);
            _out.WriteLine($"watchdog: rebooted after {silent} ms of silence in stage '{stage}'");
        }

        private static object New(string type, params object[] args) => Activator.CreateInstance(typeof(ControlBlobs).Assembly.GetType("Gateway.Control." + type, true)!, args)!;

        private static object Call(object target, string method, params object[] args) =>
            target.GetType().GetMethod(method)!.Invoke(target, args)!;

        private static T Get<T>(object target, string property) => (T)target.GetType().GetProperty(property)!.GetValue(target)!;

        [Fact]
        public void Provisioning_written_through_the_control_blobs_is_old_or_new_after_any_power_cut_and_the_log_keeps_working()
        {
            var random = new Random(4711);
            var flash = new VirtualFlash(4711);
            var log = new RecordLog(flash, new RecordLogSettings());
            log.Open();
            var reading = new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000, 1234, ReadingStatus.Ok);
            uint sequence = log.Append(ref reading);
            log.Suspend();

            uint committedId = 0;
            int cuts = 0;
            for (int round = 1; round <= 400; round++)
            {
                var blobs = (IDurableBlobs)New("ControlBlobs", flash);
                var provisioning = new DeviceProvisioning(blobs);
                Assert.Equal(committedId, provisioning.DeviceId);
                flash.ArmCut(random.Next(1, 3), torn: random.Next(2) == 0);
                try
                {
                    provisioning.SetDeviceId((uint)round);
                    committedId = (uint)round;
                    flash.Disarm();
                }
                catch (PowerCutException)
                {
                    cuts++;
                    flash.PowerOn();
                    var after = new DeviceProvisioning((IDurableBlobs)New("ControlBlobs", flash)).DeviceId;
                    Assert.True(after == committedId || after == (uint)round, $"round {round}: {after}");
                    committedId = after;
                }
            }

            Assert.True(cuts > 100, $"cuts: {cuts}");
            var reopened = new RecordLog(flash, new RecordLogSettings());
            reopened.Open();
            Assert.True(reopened.TryRead(sequence, out var record) && record.Value == 1234, "the log's record survives beside the control blobs");
            Assert.False(((IDurableBlobs)New("ControlBlobs", flash)).TryRead("no.such.blob", out _));
            _out.WriteLine($"control blobs: 400 writes, {cuts} power cuts, every read old or new");
        }

        [Fact]
        public void The_reset_record_reports_a_watchdog_reboot_once_and_steady_deep_sleep_costs_no_flash_write()
        {
            var flash = new VirtualFlash(3);
            var first = New("ResetRecord", flash);
            Assert.Contains("first boot", (string)Call(first, "Describe", false, "reset"));

            Call(first, "Write", Enum.ToObject(typeof(ResetReason), 2), "cycle", 41u, 1_790_000_000_000L, 725_000L);
            var afterWatchdog = New("ResetRecord", flash);
            var line = (string)Call(afterWatchdog, "Describe", false, "reset");
            Assert.Contains("watchdog reboot: main loop silent 725000 ms in stage 'cycle'", line);
            Assert.Contains("previous boot 41", line);

            var deepSleep = Enum.ToObject(typeof(ResetReason), 1);
            Call(afterWatchdog, "Write", deepSleep, "sleep", 42u, 0L, 0L);
            long writes = flash.WriteOps;
            for (int wake = 0; wake < 100; wake++)
            {
                Call(New("ResetRecord", flash), "Write", deepSleep, "sleep", 43u + (uint)wake, 0L, 0L);
            }

            Assert.Equal(writes, flash.WriteOps);
            Assert.StartsWith("reset: deep-sleep wake;", (string)Call(New("ResetRecord", flash), "Describe", true, "timer"));
            Assert.Contains("unexpected reset", (string)Call(New("ResetRecord", flash), "Describe", false, "reset"));
        }

        [Fact]
        public void The_airtime_ledger_survives_a_deep_sleep_and_is_rewritten_only_when_changed()
        {
            var flash = new VirtualFlash(5);
            var state = New("SleepState", flash);
            var budget = new DwellTimeBudget(new DwellTimeSettings());
            budget.Record(1_790_000_000_000, 300_000);
            Call(state, "SaveBudget", budget);
            long writes = flash.WriteOps;
            Call(state, "SaveBudget", budget);
            Assert.Equal(writes, flash.WriteOps);

            var afterSleep = New("SleepState", flash);
            var restored = new DwellTimeBudget(new DwellTimeSettings());
            Assert.True((bool)Call(afterSleep, "RestoreBudget", restored, 1_790_000_060_000L));
            Assert.Equal(budget.UsedThisHourUs(1_790_000_060_000), restored.UsedThisHourUs(1_790_000_060_000));
        }
    }
}
