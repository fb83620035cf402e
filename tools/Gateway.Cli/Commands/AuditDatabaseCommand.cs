using System;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway audit database: recompute the log from the database and compare it with the signed checkpoints and
    /// the readings with the logged batches; exit 1 naming every edited, deleted or inserted reading (device, sequence).
    /// </summary>
    public sealed class AuditDatabaseCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var key = AuditSupport.VerifierKey();
            var checkpoint = new Option<string[]>("--checkpoint") { Description = "a published checkpoint file to check against as well (repeatable)" };
            var json = CommonOptions.Json();
            var cmd = new Command("database", "recompute the log from the database and compare with the latest signed checkpoint; name any edited, deleted or inserted reading (exit 1)");
            foreach (var o in new Option[] { db, key, checkpoint, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var verifier = AuditSupport.Key(pr.GetValue(key), pr.GetValue(db)!);
                using var store = AuditSupport.Open(pr.GetValue(db)!);
                var checkpoints = AuditSupport.Checkpoints(store, verifier, pr.GetValue(checkpoint));
                var report = LogAuditor.Audit(store, checkpoints);
                var findings = report.Findings.ToList();
                if (checkpoints.Count == 0)
                {
                    findings.Insert(0, new AuditFinding("no_checkpoint", 0, null, -1, $"no checkpoint signed by {verifier.Name} was found: nothing to compare the tree with"));
                }

                var ok = findings.Count == 0;
                if (pr.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        ok,
                        origin = verifier.Name,
                        leaves = report.Leaves,
                        batches_decoded = report.Batches,
                        readings = report.Readings,
                        rejected_counted = report.Rejected,
                        latest_checkpoint_size = report.LatestCheckpointSize,
                        checkpoints_matching = report.CheckedCheckpoints,
                        root = report.Root,
                        all_batches_included = ok && report.LatestCheckpointSize == report.Leaves,
                        findings = findings.Select(f => new { kind = f.Kind, device = f.DeviceId, seq = f.Sequence, leaf = f.LeafIndex, detail = f.Detail }),
                    }));
                }
                else
                {
                    Console.WriteLine($"log {verifier.Name}: {report.Leaves} leaves ({report.Batches} batches decoded), {report.Readings} readings, {report.Rejected} rejected batches counted");
                    Console.WriteLine($"latest signed checkpoint: size {report.LatestCheckpointSize}; {report.CheckedCheckpoints} checkpoint(s) match the recomputed tree");
                    foreach (var f in findings)
                    {
                        Console.WriteLine($"{f.Kind}: {f.Detail}");
                    }

                    Console.WriteLine(ok ? "OK: the database is what the log recorded" : $"FAILED: {findings.Count} finding(s)");
                }

                return ok ? 0 : 1;
            });
            return cmd;
        }
    }
}
