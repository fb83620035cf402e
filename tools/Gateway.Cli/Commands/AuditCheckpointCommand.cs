using System;
using System.CommandLine;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway audit checkpoint: sign the log's head now (on demand), ask the witnesses, store and publish it to a folder.</summary>
    public sealed class AuditCheckpointCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => "audit";

        /// <inheritdoc />
        public Command Create()
        {
            var db = CloudOptions.Db();
            var key = new Option<string>("--log-key") { Description = "the log's private key file (mode 600)", Required = true };
            var outDir = new Option<string?>("--out") { Description = "checkpoint folder to publish to (checkpoint, checkpoints/SIZE)" };
            var witness = new Option<string[]>("--witness") { Description = "a witness to ask: URL,VKEY (repeatable)", AllowMultipleArgumentsPerToken = false };
            var cmd = new Command("checkpoint", "sign the log's current head (C2SP checkpoint), gather cosignatures, store and publish it");
            foreach (var o in new Option[] { db, key, outDir, witness })
            {
                cmd.Options.Add(o);
            }

            cmd.SetAction(pr =>
            {
                var signer = LogKeys.Load(pr.GetValue(key)!, NoteSigner.Ed25519);
                var witnesses = AuditSupport.Witnesses(pr.GetValue(witness));
                using var store = AuditSupport.Open(pr.GetValue(db)!);
                using var checkpointer = new LogCheckpointer(store, signer, pr.GetValue(outDir), witnesses, line => Console.Error.WriteLine(line));
                var signed = checkpointer.Sign(force: true)!;
                Console.Write(signed.Note());
                return 0;
            });
            return cmd;
        }
    }
}
