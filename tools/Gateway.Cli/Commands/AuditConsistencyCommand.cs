using System;
using System.CommandLine;
using System.Text.Json;
using Gateway.Cloud;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway audit consistency --from CP1 --to CP2: both signed by the log, and the later extends the earlier (proof from the database). Exit 1 when not.</summary>
    public sealed class AuditConsistencyCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var key = AuditSupport.VerifierKey();
            var from = new Option<string>("--from") { Description = "the earlier checkpoint file", Required = true };
            var to = new Option<string>("--to") { Description = "the later checkpoint file", Required = true };
            var json = CommonOptions.Json();
            var cmd = new Command("consistency", "check that a later signed checkpoint extends an earlier one (RFC 9162 consistency proof)");
            foreach (var o in new Option[] { db, key, from, to, json })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var verifier = AuditSupport.Key(pr.GetValue(key), pr.GetValue(db)!);
                var a = AuditSupport.Read(pr.GetValue(from)!, verifier).Checkpoint;
                var b = AuditSupport.Read(pr.GetValue(to)!, verifier).Checkpoint;
                if (a.Size > b.Size)
                {
                    throw new ConfigurationException($"--from is size {a.Size}, larger than --to ({b.Size}): give the earlier one first");
                }

                using var store = AuditSupport.Open(pr.GetValue(db)!);
                if (b.Size > store.ReadLogHead().Size)
                {
                    throw new ConfigurationException($"the database holds {store.ReadLogHead().Size} leaves, fewer than checkpoint {b.Size}");
                }

                var proof = Merkle.ConsistencyProof(a.Size, b.Size, store.ReadLogNode);
                var ok = Merkle.VerifyConsistency(a.Size, b.Size, a.Root, b.Root, proof);
                if (pr.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { ok, from = a.Size, to = b.Size, proof = proof.ConvertAll(Convert.ToBase64String) }));
                }
                else
                {
                    Console.WriteLine(ok ? $"OK: checkpoint {b.Size} extends checkpoint {a.Size} ({proof.Count} proof hashes)"
                        : $"FAILED: checkpoint {b.Size} does not extend checkpoint {a.Size} (a rewritten or forked log, or a database that no longer holds it)");
                    proof.ForEach(h => Console.WriteLine(Convert.ToBase64String(h)));
                }

                return ok ? 0 : 1;
            });
            return cmd;
        }
    }
}
