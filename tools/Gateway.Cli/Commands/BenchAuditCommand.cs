using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Gateway.Cloud.Bench;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway bench audit: the transparency log's append rate, proof size at 10^9 leaves and proof verification time (JavaScript verifier).</summary>
    public sealed class BenchAuditCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "bench";

        /// <inheritdoc />
        public Command Create()
        {
            var json = CommonOptions.Json();
            var devices = new Option<int>("--devices") { Description = "gateways", DefaultValueFactory = _ => 100 };
            var batches = new Option<int>("--batches") { Description = "batches per gateway", DefaultValueFactory = _ => 200 };
            var readings = new Option<int>("--readings") { Description = "readings per batch (a LoRa uplink carries a few)", DefaultValueFactory = _ => 4 };
            var group = new Option<int>("--group") { Description = "batches per durable commit of the main run (default 32, the MQTT receiver's group commit; a run at 32 is reported too)", DefaultValueFactory = _ => 32 };
            var cmd = new Command("audit", "transparency log: leaves appended per second with their readings (durable SQLite, the receiver's transaction), inclusion proof bytes at 10^9 leaves, verification time per proof in the JavaScript verifier");
            foreach (var o in new Option[] { json, devices, batches, readings, group })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                if (pr.GetValue(devices) < 1 || pr.GetValue(batches) < 1 || pr.GetValue(readings) is < 1 or > 32 || pr.GetValue(group) < 1)
                {
                    Console.Error.WriteLine("gateway bench audit: --devices, --batches and --group must be at least 1, --readings 1..32");
                    return 2;
                }

                var dir = Path.Combine(Path.GetTempPath(), "gateway-bench-audit-" + Environment.ProcessId);
                Directory.CreateDirectory(dir);
                try
                {
                    var r = AuditBenchmark.Run(dir, pr.GetValue(devices), pr.GetValue(batches), pr.GetValue(readings), pr.GetValue(group));
                    var js = RunVerifier(r.CasesFile);
                    new FigureReport()
                        .Add("appends_per_s", Math.Round(r.AppendsPerSecond))
                        .Add("leaves", r.Leaves)
                        .Add("readings_per_leaf", r.ReadingsPerLeaf)
                        .Add("commit_group_batches", r.GroupBatches)
                        .Add("stored_readings_per_s", Math.Round(r.StoredReadingsPerSecond))
                        .Add("baseline_readings_only_batches_per_s", Math.Round(r.ReadingsOnlyBatchesPerSecond))
                        .Add("appends_per_s_group_32", Math.Round(r.AppendsPerSecondReceiverGroup))
                        .Add("receiver_batches_per_s_group_32", Math.Round(r.ReceiverBatchesPerSecond))
                        .Add("inclusion_proof_bytes", r.ProofHashesAtBillion * 32)
                        .Add("inclusion_proof_hashes", r.ProofHashesAtBillion)
                        .Add("tree_leaves_for_proof", AuditBenchmark.Billion)
                        .Add("verify_us", js.GetProperty("verify_us").GetDouble())
                        .Add("verifier", "tools/verifier-js (node " + NodeVersion() + ")")
                        .Add("proofs_verified_js", js.GetProperty("proofs_verified").GetInt64())
                        .Add("stored_proofs_checked", r.StoredProofsChecked)
                        .Add("audit_ok", r.AuditOk)
                        .Add("durability", r.Durability)
                        .Write(Console.Out, pr.GetValue(json));
                    return r.AuditOk ? 0 : 1;
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(dir, recursive: true);
                }
            });
            return cmd;
        }

        /// <summary>The JavaScript verifier of this checkout (tools/verifier-js/verify.js), found upwards from here or from the program.</summary>
        public static string VerifierScript()
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                {
                    var f = Path.Combine(d.FullName, "tools", "verifier-js", "verify.js");
                    if (File.Exists(f))
                    {
                        return f;
                    }
                }
            }

            throw new Gateway.Cloud.ConfigurationException("tools/verifier-js/verify.js not found: run from the repository");
        }

        private static JsonElement RunVerifier(string cases)
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(VerifierScript());
            psi.ArgumentList.Add("--bench");
            psi.ArgumentList.Add(cases);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("node did not start (scripts/setup.sh installs it)");
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException("the JavaScript verifier failed: " + error.Trim());
            }

            return JsonDocument.Parse(output).RootElement.Clone();
        }

        private static string NodeVersion()
        {
            var psi = new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
    }
}
