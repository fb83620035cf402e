using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Commissioning;
using Gateway.Control;
using Gateway.Core.Codec;
using Gateway.Simulation.Hil;
using Gateway.Simulation.VirtualGateway;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// The guided technician sequence against a virtual gateway, checked step by step: an unprovisioned gateway refuses
    /// to send → keys created as <c>./gateway provision</c> does → provisioning over the console → site configuration →
    /// self-test → tape reference → commissioning → the signed record verifies at the cloud receiver and is stored →
    /// a copy with one bit flipped is rejected, and so is a replay.
    /// </summary>
    public static class ConsoleWalkthrough
    {
        /// <summary>The site configuration the walkthrough (and the hil flood scenario) applies: a river gauge on LTE-M.</summary>
        public const string SiteConfig =
            "{\"schema\":1,\"site\":{\"id\":\"virtual-river-01\",\"name\":\"virtual river\",\"kind\":\"river\",\"lat\":35.0,\"lon\":135.7}," +
            "\"channels\":{\"level_offset_mm\":0,\"ultrasonic\":{\"fitted\":true,\"interface\":\"uart\",\"mount_height_mm\":4000,\"min_mm\":300,\"max_mm\":4500,\"median_count\":5}," +
            "\"pressure\":{\"fitted\":false},\"inclinometer\":{\"fitted\":false},\"battery\":{\"fitted\":true,\"low_mv\":3400}}," +
            "\"river\":{\"observation_start_mm\":1200,\"standby_mm\":1800,\"caution_mm\":2400,\"evacuation_mm\":3000,\"danger_mm\":3500,\"hysteresis_mm\":50}," +
            "\"cadence\":{\"base_s\":600,\"above_observation_s\":300,\"rise_trigger_mm_per_10min\":150,\"trial_periods\":3}," +
            "\"transport\":{\"primary\":\"cellular\",\"failover\":[],\"cellular\":{\"apn\":\"iot.example.jp\"},\"mqtt\":{\"host\":\"receiver.example.jp\",\"port\":8883,\"tls\":true}}," +
            "\"uplink\":{\"max_at_risk\":144,\"alive_time\":\"06:00\"},\"keys\":{\"key_id\":1}}";

        /// <summary>Runs the walkthrough; every exchange and verdict goes to <paramref name="output"/>. True when every step held.</summary>
        public static bool Run(VirtualGatewayDevice device, uint deviceId, string workDirectory, TextWriter output)
        {
            var link = new InProcessConsoleLink(device);
            var failures = new List<string>();

            void Check(bool ok, string what)
            {
                output.WriteLine((ok ? "  PASS " : "  FAIL ") + what);
                if (!ok)
                {
                    failures.Add(what);
                }
            }

            IReadOnlyList<string> Say(string command)
            {
                output.WriteLine("> " + Mask(command));
                var answer = link.Exchange(command, 30000);
                foreach (var line in answer)
                {
                    output.WriteLine("< " + line);
                }

                return answer;
            }

            output.WriteLine("== 1. a new gateway: no identity, no key, no configuration");
            var status = Say("status");
            Check(status.Any(l => l.StartsWith("send: REFUSED", StringComparison.Ordinal)), "status shows send REFUSED (no key)");
            var early = Say("commission");
            Check(early[^1].StartsWith("ERR cannot commission: not provisioned", StringComparison.Ordinal), "commission refused before provisioning, with the reason");

            output.WriteLine("== 2. keys and identifiers (./gateway provision)");
            var result = DeviceProvisioner.Run(new ProvisionRequest(deviceId, device.Cloud.KeyFile, workDirectory, false, "70B3D57ED0000001"));
            output.WriteLine($"  device {result.DeviceId}, key id {result.KeyId}, DevEUI {result.DevEui}; script {result.ScriptPath}; key file {result.KeyFile}");

            output.WriteLine("== 3. provisioning over the console (the script's lines)");
            foreach (var line in File.ReadAllLines(result.ScriptPath).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var answer = Say(line);
                Check(ConsoleAnswers.IsOk(answer), Mask(line));
            }

            output.WriteLine("== 4. site configuration");
            var config = Say("config set " + SiteConfig);
            Check(ConsoleAnswers.IsOk(config), "config set (river gauge, LTE-M, levels 1800/2400/3000/3500 mm)");
            status = Say("status");
            Check(status.Contains("send: allowed"), "status shows send allowed");

            output.WriteLine("== 5. self-test");
            Check(ConsoleAnswers.IsOk(Say("selftest")), "self-test passed (sensors, flash write/read, uplink)");

            output.WriteLine("== 6. reference the level against a tape measure");
            var reference = Say("reference-level 812");
            Check(ConsoleAnswers.IsOk(reference), "reference-level 812 sets the level offset");

            output.WriteLine("== 7. commission");
            var commission = Say("commission");
            Check(ConsoleAnswers.IsOk(commission), "commission passed");
            var hexLine = commission.FirstOrDefault(l => l.StartsWith("record hex", StringComparison.Ordinal));
            var hex = hexLine?[(hexLine.LastIndexOf(' ') + 1)..] ?? "";
            Check(HexText.TryParse(hex, hex.Length / 2, out var record) && record.Length > 0, "the console printed the record as hex");

            output.WriteLine("== 8. at the cloud receiver");
            var outcome = device.LastRecordOutcome;
            output.WriteLine($"  verdict: {outcome?.Verdict}: {outcome?.Message}");
            Check(outcome?.Accepted == true, "the signed commissioning record verifies with the device's key");
            var rows = device.Cloud.Commissioning.Query(deviceId);
            foreach (var row in rows)
            {
                output.WriteLine("  stored row: " + CommissioningQuery.Describe(row).Replace("\n", "\n  ", StringComparison.Ordinal));
            }

            Check(rows.Count == 1 && record is not null && rows[0].RecordHex == HexText.ToHex(record), "exactly one stored row, the printed record");

            output.WriteLine("== 9. forged and replayed copies");
            if (record is { Length: > 0 })
            {
                var forged = (byte[])record.Clone();
                forged[49 + 1] ^= 0x01; // one bit of the first sensor's value
                var f = device.Cloud.DeliverCommissioning(forged, "mqtt-lte");
                output.WriteLine($"  forged (one bit flipped): {f.Verdict}: {f.Message}");
                Check(f.Verdict == CommissioningVerdict.BadTag, "a copy with one bit flipped is rejected as forged or altered");
                var replay = device.Cloud.DeliverCommissioning(record, "mqtt-lte");
                output.WriteLine($"  replayed: {replay.Verdict}: {replay.Message}");
                Check(replay.Verdict == CommissioningVerdict.Replayed, "the same record sent again is rejected as replayed");
            }

            Check(device.Cloud.Commissioning.Query(deviceId).Count == 1, "still exactly one stored row");
            output.WriteLine(failures.Count == 0 ? "walkthrough: PASSED" : $"walkthrough: FAILED ({failures.Count}): " + string.Join("; ", failures));
            return failures.Count == 0;
        }

        /// <summary>A console line with its secrets masked for printing.</summary>
        public static string Mask(string line)
        {
            var words = line.Split(' ');
            if (words.Length == 4 && words[0] == "provision" && words[1] == "key")
            {
                return $"provision key {words[2]} {words[3][..4]}…(64 hex digits, not shown)";
            }

            if (words.Length == 5 && words[0] == "provision" && words[1] == "lora")
            {
                return $"provision lora {words[2]} {words[3]} {words[4][..4]}…(AppKey, not shown)";
            }

            return line.Length > 140 ? line[..137] + "..." : line;
        }
    }
}
