using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Control;
using Gateway.Core.Codec;
using Gateway.Core.Node;
using Gateway.Core.Sensing;

namespace Gateway.Simulation.Hil
{
    /// <summary>
    /// What the hil run can reach of the cloud: the receiver's database (every assertion reads it, never a counter of
    /// the gateway or of the receiver), and, when the receiver runs in this process, a way to hand it tampered copies.
    /// </summary>
    public sealed class HilCloudAccess
    {
        /// <summary>The readings store (the receiver's database).</summary>
        public required IReceiverStore Readings { get; init; }

        /// <summary>The commissioning table (same database).</summary>
        public required CommissioningStore Commissioning { get; init; }

        /// <summary>The newest batch the gateway published, when the link to the cloud is in this process.</summary>
        public Func<byte[]?>? LatestUplink { get; init; }

        /// <summary>Hands a batch to the receiver (for forged copies).</summary>
        public Func<byte[], IngestOutcome>? DeliverBatch { get; init; }

        /// <summary>Called before the checks: waits until what the gateway sent has reached the database (a remote receiver).</summary>
        public Action? Settle { get; init; }

        /// <summary>Hands a commissioning record to the cloud's verifier (forged copies; and, over a serial link, the record the console printed).</summary>
        public Func<byte[], CommissioningOutcome>? DeliverRecord { get; init; }
    }

    /// <summary>One cycle as the gateway answered it.</summary>
    /// <param name="Index">0-based cycle index in the scenario.</param>
    /// <param name="TimeMs">The reading time the gateway reported (t=).</param>
    /// <param name="Line">The console's line.</param>
    /// <param name="Ms">The device's uptime spent in the cycle (ms=), or null when the firmware does not report it.</param>
    public sealed record HilCycle(int Index, long TimeMs, string Line, long? Ms = null);

    /// <summary>What a hil run found.</summary>
    public sealed class HilResult
    {
        /// <summary>Assertion failures (empty = passed).</summary>
        public List<string> Failures { get; } = new();

        /// <summary>Figures for the summary line, in order.</summary>
        public List<(string Key, string Value)> Figures { get; } = new();

        /// <summary>The device the run drove.</summary>
        public uint DeviceId { get; internal set; }

        /// <summary>The cycles as the gateway answered them.</summary>
        public List<HilCycle> Cycles { get; } = new();

        /// <summary>The commissioning record the console printed, or null.</summary>
        public byte[]? Record { get; internal set; }

        /// <summary>True when no assertion failed.</summary>
        public bool Passed => Failures.Count == 0;

        /// <summary>The one-line summary.</summary>
        public string Summary(string name) =>
            $"hil {name}: " + string.Join(" ", Figures.Select(f => f.Key + "=" + f.Value)) + $" failures={Failures.Count} => " + (Passed ? "PASSED" : "FAILED");

        internal void Figure(string key, object value) => Figures.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
    }

    /// <summary>
    /// Drives a gateway's test mode through its console (any <see cref="IConsoleLink"/>): test-mode on, per cycle the
    /// scenario's injected values then "cycle 1", test-mode off, commission; then checks the receiver's database.
    /// </summary>
    public static class HilDriver
    {
        private static readonly Regex TimeField = new(@"\bt=(\d+)\b", RegexOptions.CultureInvariant);

        /// <summary>Runs the scenario over <paramref name="link"/> and checks the result; progress to <paramref name="output"/>.</summary>
        public static HilResult Run(IConsoleLink link, HilScenario scenario, HilCloudAccess cloud, TextWriter output, int timeoutMs = 30000)
        {
            var watch = Stopwatch.StartNew();
            var result = new HilResult();
            var status = link.Exchange("status", timeoutMs);
            var idLine = status.FirstOrDefault(l => l.StartsWith("device-id: ", StringComparison.Ordinal));
            if (idLine is null || !uint.TryParse(idLine["device-id: ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
            {
                result.Failures.Add("the gateway has no device id (provision it first)");
                return result;
            }

            if (!status.Contains("send: allowed"))
            {
                result.Failures.Add("the gateway refuses to send: " + (status.FirstOrDefault(l => l.StartsWith("send:", StringComparison.Ordinal)) ?? "?"));
                return result;
            }

            result.DeviceId = deviceId;
            output.WriteLine($"hil {scenario.Name}: device {deviceId} over {link.Description}, {scenario.Steps.Count} cycles");
            Expect(link.Exchange("test-mode on", timeoutMs), "test-mode on", result);
            var cycles = result.Cycles;
            for (var c = 0; c < scenario.Steps.Count && result.Passed; c++)
            {
                var step = scenario.Steps[c];
                if (step.Level is int level)
                {
                    Expect(link.Exchange("inject level " + level.ToString(CultureInfo.InvariantCulture), timeoutMs), "inject level", result);
                }

                if (step.Battery is int battery)
                {
                    Expect(link.Exchange("inject battery " + battery.ToString(CultureInfo.InvariantCulture), timeoutMs), "inject battery", result);
                }

                if (step.Temperature is int temperature)
                {
                    Expect(link.Exchange("inject temperature " + temperature.ToString(CultureInfo.InvariantCulture), timeoutMs), "inject temperature", result);
                }

                var answer = link.Exchange("cycle 1", timeoutMs);
                if (!Expect(answer, "cycle", result) || answer.Count < 2)
                {
                    break;
                }

                var m = TimeField.Match(answer[0]);
                if (!m.Success)
                {
                    result.Failures.Add("cycle answer without t=: " + answer[0]);
                    break;
                }

                cycles.Add(new HilCycle(c, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), answer[0], BoardTimings.CycleMs(answer[0])));
                output.WriteLine("  " + answer[0]);
            }

            Expect(link.Exchange("test-mode off", timeoutMs), "test-mode off", result);
            var commission = link.Exchange("commission", timeoutMs);
            if (!Expect(commission, "commission", result))
            {
                foreach (var line in commission)
                {
                    output.WriteLine("  " + line);
                }
            }
            var hexLine = commission.FirstOrDefault(l => l.StartsWith("record hex", StringComparison.Ordinal));
            byte[]? record = null;
            if (hexLine is not null)
            {
                var hex = hexLine[(hexLine.LastIndexOf(' ') + 1)..];
                HexText.TryParse(hex, hex.Length / 2, out record);
            }

            result.Record = record;
            cloud.Settle?.Invoke();
            var forgery = Forge(cloud, deviceId, record, output);
            Check(scenario, deviceId, cycles, cloud, record, forgery, result);
            BoardTimings.AddFigures(status, cycles, result, output);
            result.Figure("seconds", watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            return result;
        }

        /// <summary>Counts of the tampered copies handed to the cloud.</summary>
        public sealed record ForgeryOutcome(int Tried, int Accepted, long ReadingsBefore, long ReadingsAfter);

        private static ForgeryOutcome Forge(HilCloudAccess cloud, uint deviceId, byte[]? record, TextWriter output)
        {
            int tried = 0, accepted = 0;
            var before = cloud.Readings.CountReadings(deviceId);
            if (cloud.LatestUplink?.Invoke() is { Length: > 8 } batch && cloud.DeliverBatch is not null)
            {
                var forged = (byte[])batch.Clone();
                forged[^3] ^= 0x04; // one bit of the tag
                var o = cloud.DeliverBatch(forged);
                tried++;
                accepted += o.Accepted ? 1 : 0;
                output.WriteLine($"  forged batch (one bit flipped): {o.Verdict}: {o.Message}");
            }

            if (record is { Length: > 0 } && cloud.DeliverRecord is not null && cloud.LatestUplink is not null)
            {
                var forged = (byte[])record.Clone();
                forged[49 + 1] ^= 0x01; // one bit of the first sensor's value
                var o = cloud.DeliverRecord(forged);
                tried++;
                accepted += o.Accepted ? 1 : 0;
                output.WriteLine($"  forged commissioning record: {o.Verdict}: {o.Message}");
            }

            return new ForgeryOutcome(tried, accepted, before, cloud.Readings.CountReadings(deviceId));
        }

        /// <summary>
        /// The assertions, all against the receiver's database: every cycle's readings stored exactly once with the
        /// test flag and the injected values, the garbage flagged and kept, the alarms raised and cleared exactly as
        /// the levels and hysteresis say, no forged copy accepted, the commissioning record verified and stored.
        /// </summary>
        public static void Check(HilScenario scenario, uint deviceId, IReadOnlyList<HilCycle> cycles, HilCloudAccess cloud, byte[]? record, ForgeryOutcome forgery, HilResult result)
        {
            result.Figure("cycles", $"{cycles.Count}/{scenario.Steps.Count}");
            if (cycles.Count != scenario.Steps.Count)
            {
                result.Failures.Add($"only {cycles.Count} of {scenario.Steps.Count} cycles ran");
            }

            int expected = 0, once = 0, flagged = 0, valuesExpected = 0, valuesOk = 0, garbageExpected = 0, garbageFlagged = 0;
            int? level = null, battery = null, temperature = null;
            foreach (var cycle in cycles)
            {
                var step = scenario.Steps[cycle.Index];
                level = step.Level ?? level;
                battery = step.Battery ?? battery;
                temperature = step.Temperature ?? temperature;
                var rows = cloud.Readings.QueryReadings(deviceId, cycle.TimeMs, cycle.TimeMs + 1);
                foreach (var (channel, value, garbage) in new[]
                         {
                             (ChannelId.WaterLevelMillimeters, level, step.Garbage),
                             (ChannelId.BatteryMillivolts, battery, false),
                             (ChannelId.TemperatureMillicelsius, temperature, false),
                         })
                {
                    if (value is null)
                    {
                        continue;
                    }

                    expected++;
                    var found = rows.Where(r => r.Channel == (byte)channel).ToList();
                    if (found.Count != 1)
                    {
                        result.Failures.Add($"cycle {cycle.Index} ({cycle.TimeMs}): {found.Count} stored readings of channel {(int)channel}, expected exactly 1");
                        continue;
                    }

                    once++;
                    var r = found[0];
                    var status = (ReadingStatus)r.Status;
                    if ((status & ReadingStatus.Maintenance) != 0)
                    {
                        flagged++;
                    }
                    else
                    {
                        result.Failures.Add($"cycle {cycle.Index}: channel {(int)channel} stored without the test flag (status 0x{r.Status:X4})");
                    }

                    if (garbage)
                    {
                        garbageExpected++;
                        if ((status & ~ReadingStatus.Maintenance) != 0 && r.Value != value)
                        {
                            garbageFlagged++;
                        }
                        else
                        {
                            result.Failures.Add($"cycle {cycle.Index}: garbage {value} stored as {r.Value} status 0x{r.Status:X4}: not flagged");
                        }
                    }
                    else
                    {
                        valuesExpected++;
                        if (r.Value == value && (status & ~ReadingStatus.Maintenance) == 0)
                        {
                            valuesOk++;
                        }
                        else
                        {
                            result.Failures.Add($"cycle {cycle.Index}: channel {(int)channel} stored {r.Value} status 0x{r.Status:X4}, injected {value}");
                        }
                    }
                }
            }

            result.Figure("readings", $"{once}/{expected}");
            result.Figure("test_flag", $"{flagged}/{expected}");
            result.Figure("values_ok", $"{valuesOk}/{valuesExpected}");
            result.Figure("garbage_flagged", $"{garbageFlagged}/{garbageExpected}");

            // Alarms: the event records the gateway sent, from the database, against the levels' rule.
            var wanted = scenario.ExpectedAlarms();
            var got = new List<(int Cycle, int Kind, int Level)>();
            if (cycles.Count > 0)
            {
                var byTime = cycles.GroupBy(c => c.TimeMs).ToDictionary(g => g.Key, g => g.First().Index);
                foreach (var r in cloud.Readings.QueryReadings(deviceId, cycles[0].TimeMs, cycles[^1].TimeMs + 1).Where(r => r.Channel == (byte)ChannelId.EventCode))
                {
                    var kind = EventCodes.KindOf(r.Value);
                    if (kind is (int)EventKind.AlarmRaised or (int)EventKind.AlarmCleared)
                    {
                        got.Add((byTime.TryGetValue(r.TimeMs, out var c) ? c : -1, kind, EventCodes.LevelOf(r.Value)));
                    }
                }
            }

            var raisedOk = wanted.Where(w => w.Kind == 1).Count(w => got.Contains(w));
            var clearedOk = wanted.Where(w => w.Kind == 2).Count(w => got.Contains(w));
            result.Figure("alarms_raised", $"{raisedOk}/{wanted.Count(w => w.Kind == 1)}");
            result.Figure("alarms_cleared", $"{clearedOk}/{wanted.Count(w => w.Kind == 2)}");
            if (!got.SequenceEqual(wanted))
            {
                result.Failures.Add("alarms differ: expected " + Alarms(wanted) + ", stored " + Alarms(got));
            }

            result.Figure("forged_accepted", $"{forgery.Accepted}/{forgery.Tried}");
            if (forgery.Accepted != 0 || forgery.ReadingsAfter != forgery.ReadingsBefore)
            {
                result.Failures.Add($"forged copies accepted: {forgery.Accepted}, readings {forgery.ReadingsBefore} -> {forgery.ReadingsAfter}");
            }

            var verified = 0;
            if (record is { Length: > 0 })
            {
                var hex = HexText.ToHex(record);
                var rows = cloud.Commissioning.Query(deviceId);
                if (!rows.Any(r => r.RecordHex == hex) && cloud.DeliverRecord is not null && cloud.LatestUplink is null)
                {
                    // Over a serial link the record printed on the console is verified here with the receiver's keys.
                    cloud.DeliverRecord(record);
                    rows = cloud.Commissioning.Query(deviceId);
                }

                verified = rows.Count(r => r.RecordHex == hex);
            }

            result.Figure("commissioning_verified", verified);
            if (verified != 1)
            {
                result.Failures.Add("the commissioning record is not stored as verified at the cloud");
            }
        }

        private static string Alarms(List<(int Cycle, int Kind, int Level)> list) =>
            "[" + string.Join(", ", list.Select(a => $"{(a.Kind == 1 ? "raise" : "clear")} L{a.Level}@c{a.Cycle}")) + "]";

        private static bool Expect(IReadOnlyList<string> answer, string what, HilResult result)
        {
            if (ConsoleAnswers.IsOk(answer))
            {
                return true;
            }

            result.Failures.Add($"{what}: {(answer.Count == 0 ? "no answer" : answer[^1])}");
            return false;
        }
    }
}
