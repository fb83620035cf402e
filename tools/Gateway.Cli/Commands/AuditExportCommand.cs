using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gateway.Cloud;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway audit export: an open-data export of the readings received in [--from, --to) — readings.csv,
    /// export.json (the latest signed checkpoint, the leaves holding the readings, with their batches and inclusion
    /// proofs) and log.vkey — that tools/verifier-js checks offline with the town's public key alone.
    /// </summary>
    public sealed class AuditExportCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var key = AuditSupport.VerifierKey();
            var from = new Option<string?>("--from") { Description = "receive time from, ISO 8601 UTC (default: the beginning)" };
            var to = new Option<string?>("--to") { Description = "receive time to (exclusive), ISO 8601 UTC (default: now)" };
            var outDir = new Option<string>("--out") { Description = "folder to write readings.csv, export.json and log.vkey to", Required = true };
            var cmd = new Command("export", "open-data export of the readings received in a time range, with the signed checkpoint and inclusion proofs to check it offline");
            foreach (var o in new Option[] { db, key, from, to, outDir })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var verifier = AuditSupport.Key(pr.GetValue(key), pr.GetValue(db)!);
                var f = Time("--from", pr.GetValue(from), long.MinValue);
                var t = Time("--to", pr.GetValue(to), long.MaxValue);
                using var store = AuditSupport.Open(pr.GetValue(db)!);
                var checkpoint = AuditSupport.Checkpoints(store, verifier, null).FirstOrDefault()
                                 ?? throw new ConfigurationException($"no checkpoint signed by {verifier.Name} in the database: sign one first (./gateway audit checkpoint)");
                var size = checkpoint.Checkpoint.Size;
                var leaves = new List<object>();
                var readings = new List<Dictionary<string, object>>();
                var taken = new HashSet<(uint, uint)>();
                var csv = new StringBuilder("device,seq,channel,time_ms,time_utc,value,status,received_at_ms,transport,leaf\n");
                foreach (var row in store.ReadLogLeaves(0, size))
                {
                    if (row.Leaf.ReceivedAtMs < f || row.Leaf.ReceivedAtMs >= t
                        || row.Leaf.TryDecodeBatch(out var batch, out _) != Gateway.Cloud.Decoding.DecodeStatus.Ok || batch is null)
                    {
                        continue;
                    }

                    // The readings this batch stored (a resent batch's readings belong to the first batch that carried them).
                    var mine = batch.Readings.Where(r => taken.Add((batch.DeviceId, r.Sequence))).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }

                    leaves.Add(new
                    {
                        index = row.Index, device = row.Leaf.DeviceId, first_sequence = row.Leaf.FirstSequence, received_at_ms = row.Leaf.ReceivedAtMs, verdict = (int)row.Leaf.Verdict, transport = row.Leaf.Transport,
                        batch = Convert.ToBase64String(row.Leaf.Batch), proof = Merkle.InclusionProof(row.Index, size, store.ReadLogNode).Select(Convert.ToBase64String).ToArray(),
                    });
                    foreach (var r in mine)
                    {
                        var iso = DateTimeOffset.FromUnixTimeMilliseconds(r.Reading.TimeMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                        readings.Add(new Dictionary<string, object>
                        {
                            ["device"] = batch.DeviceId, ["seq"] = r.Sequence, ["channel"] = (int)r.Reading.Channel, ["time_ms"] = r.Reading.TimeMs, ["time_utc"] = iso,
                            ["value"] = r.Reading.Value, ["status"] = (int)r.Reading.Status, ["received_at_ms"] = row.Leaf.ReceivedAtMs, ["transport"] = row.Leaf.Transport, ["leaf"] = row.Index,
                        });
                        csv.Append(string.Create(CultureInfo.InvariantCulture,
                            $"{batch.DeviceId},{r.Sequence},{(int)r.Reading.Channel},{r.Reading.TimeMs},{iso},{r.Reading.Value},{(int)r.Reading.Status},{row.Leaf.ReceivedAtMs},{row.Leaf.Transport},{row.Index}\n"));
                    }
                }

                // The export carries the values the log recorded; audit database says whether the tables still hold them.
                var dir = pr.GetValue(outDir)!;
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "readings.csv"), csv.ToString());
                File.WriteAllText(Path.Combine(dir, "log.vkey"), NoteVerifier.Format(verifier.Name, verifier.Type, verifier.Key) + "\n");
                File.WriteAllText(Path.Combine(dir, "export.json"), JsonSerializer.Serialize(new
                {
                    format = "gateway-log-export/v1", origin = verifier.Name, verifier_key = NoteVerifier.Format(verifier.Name, verifier.Type, verifier.Key),
                    from = pr.GetValue(from), to = pr.GetValue(to), checkpoint = checkpoint.Note(), leaves, readings,
                }));
                Console.WriteLine($"exported {readings.Count} readings in {leaves.Count} leaves, with checkpoint {size} of {verifier.Name}, to {dir}");
                Console.WriteLine($"check it: node tools/verifier-js/verify.js {dir} --key '{NoteVerifier.Format(verifier.Name, verifier.Type, verifier.Key)}'");
                return 0;
            });
            return cmd;
        }

        private static long Time(string option, string? text, long fallback)
        {
            if (text is null)
            {
                return fallback;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new ConfigurationException($"{option} {text}: not an ISO 8601 time, e.g. 2026-09-01T00:00:00Z");
            }

            return value.ToUnixTimeMilliseconds();
        }
    }
}
