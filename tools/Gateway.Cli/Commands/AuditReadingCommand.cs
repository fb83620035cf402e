using System;
using System.CommandLine;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gateway.Cloud;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>
    /// ./gateway audit reading --device D --seq N: the reading, the batch that carried it, that batch's inclusion proof
    /// to the latest signed checkpoint (printed as a C2SP tlog-proof), and — given the device key file — the gateway's
    /// own tag: sensor → gateway key → log → signed head. Exit 1 when a link does not verify.
    /// </summary>
    public sealed class AuditReadingCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var key = AuditSupport.VerifierKey();
            var device = new Option<uint>("--device") { Description = "device id", Required = true };
            var seq = new Option<uint>("--seq") { Description = "the reading's sequence", Required = true };
            var deviceKeys = new Option<string?>("--device-keys") { Description = "the device key file, to check the gateway's tag as well" };
            var json = CommonOptions.Json();
            var cmd = new Command("reading", "prove one reading: its batch, the batch's inclusion proof to the signed checkpoint, the gateway's tag");
            foreach (var o in new Option[] { db, key, device, seq, deviceKeys, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var verifier = AuditSupport.Key(pr.GetValue(key), pr.GetValue(db)!);
                uint d = pr.GetValue(device), s = pr.GetValue(seq);
                using var store = AuditSupport.Open(pr.GetValue(db)!);
                var cp = AuditSupport.Checkpoints(store, verifier, null).FirstOrDefault()
                         ?? throw new ConfigurationException($"no checkpoint signed by {verifier.Name} in the database");
                var stored = store.QueryReadings(d, long.MinValue, long.MaxValue).Where(r => r.Sequence == s).Select(r => (Gateway.Cloud.Storage.ReceivedReading?)r).FirstOrDefault();
                var index = store.FindLogLeaves(d, s).FirstOrDefault(-1);
                var problems = new System.Collections.Generic.List<string>();
                if (stored is null)
                {
                    problems.Add($"device {d} sequence {s} is not in the readings table");
                }

                if (index < 0 || index >= cp.Checkpoint.Size)
                {
                    problems.Add(index < 0 ? "no logged batch carries it" : $"its batch (leaf {index}) is after the latest checkpoint ({cp.Checkpoint.Size}): wait for the next one");
                    return Print(pr.GetValue(json), d, s, stored, null, null, null, problems);
                }

                var leaf = store.ReadLogLeaves(index, index + 1).Single();
                var proof = Merkle.InclusionProof(index, cp.Checkpoint.Size, store.ReadLogNode);
                if (!Merkle.VerifyInclusion(index, cp.Checkpoint.Size, leaf.Leaf.Hash(), proof, cp.Checkpoint.Root))
                {
                    problems.Add($"leaf {index} is not included in the signed checkpoint of size {cp.Checkpoint.Size} (the database was changed)");
                }

                if (leaf.Leaf.TryDecodeBatch(out var batch, out var error) != DecodeStatus.Ok || batch is null)
                {
                    problems.Add("the logged batch does not decode: " + error);
                }
                else
                {
                    var carried = batch.Readings.FirstOrDefault(r => r.Sequence == s);
                    if (stored is { } r && (carried.Reading.Value != r.Value || carried.Reading.TimeMs != r.TimeMs || (byte)carried.Reading.Channel != r.Channel))
                    {
                        problems.Add($"the stored reading (value {r.Value}) is not what the batch carried (value {carried.Reading.Value})");
                    }
                }

                string? tag = null;
                if (pr.GetValue(deviceKeys) is { } file)
                {
                    var ring = KeyRing.Load(file);
                    var check = new BatchVerifier();
                    foreach (var k in ring.Keys.Where(k => k.DeviceId == d))
                    {
                        check.AddKey(k.DeviceId, k.KeyId, k.Key);
                    }

                    var verdict = check.Verify(leaf.Leaf.Batch);
                    tag = verdict.Verdict == BatchVerdict.Ok ? "verified with the device key" : $"NOT verified: {CloudReceiver.Kind(verdict.Verdict)} {verdict.Message}";
                    if (verdict.Verdict != BatchVerdict.Ok)
                    {
                        problems.Add("the gateway's tag does not verify: " + verdict.Message);
                    }
                }

                var text = new StringBuilder("c2sp.org/tlog-proof@v1\n").Append("index ").Append(index).Append('\n');
                foreach (var h in proof)
                {
                    text.Append(Convert.ToBase64String(h)).Append('\n');
                }

                text.Append('\n').Append(cp.Note());
                return Print(pr.GetValue(json), d, s, stored, leaf, tag, text.ToString(), problems);
            });
            return cmd;
        }

        private static int Print(bool json, uint device, uint seq, Gateway.Cloud.Storage.ReceivedReading? r, Gateway.Cloud.Storage.StoredLeaf? leaf, string? tag, string? proof,
            System.Collections.Generic.List<string> problems)
        {
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    ok = problems.Count == 0, device, seq, value = r?.Value, time_ms = r?.TimeMs, channel = r?.Channel, leaf = leaf?.Index,
                    batch = leaf is null ? null : Convert.ToBase64String(leaf.Leaf.Batch), gateway_tag = tag, tlog_proof = proof, problems,
                }));
            }
            else
            {
                Console.WriteLine(r is { } x ? $"reading device {device} sequence {seq}: value {x.Value}, channel {x.Channel}, time {x.TimeMs}" : $"reading device {device} sequence {seq}: not stored");
                if (leaf is not null)
                {
                    Console.WriteLine($"batch: leaf {leaf.Index}, received {leaf.Leaf.ReceivedAtMs} by {leaf.Leaf.Transport}, verdict {leaf.Leaf.Verdict}; gateway tag: {tag ?? "not checked (give --device-keys)"}");
                }

                foreach (var p in problems)
                {
                    Console.WriteLine("FAILED " + p);
                }

                if (proof is not null)
                {
                    Console.Write(proof);
                }
            }

            return problems.Count == 0 ? 0 : 1;
        }
    }
}
