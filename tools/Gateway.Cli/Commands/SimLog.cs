using System.IO;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>The simulation's transparency log key and its closing checkpoint (so ./gateway audit database can check the run).</summary>
    internal static class SimLog
    {
        /// <summary>The simulated town's log origin.</summary>
        public const string Origin = "sim.gateway.example/log";

        /// <summary>
        /// Signs the log's head with the report folder's log.key (made on the first run, mode 600; its public key in
        /// log.vkey) and publishes it to the folder's log/ (checkpoint, checkpoints/SIZE); returns the size signed,
        /// -1 when the store is not an SQL store.
        /// </summary>
        public static long SignCheckpoint(IReceiverStore store, string outDir)
        {
            if (store is not SqlReceiverStore sql)
            {
                return -1;
            }

            var keyPath = Path.Combine(outDir, "log.key");
            var key = File.Exists(keyPath) ? LogKeys.Load(keyPath, NoteSigner.Ed25519) : LogKeys.Generate(keyPath, Origin, NoteSigner.Ed25519);
            File.WriteAllText(Path.Combine(outDir, "log.vkey"), key.VerifierKey + "\n");
            using var checkpointer = new LogCheckpointer(sql, key, Path.Combine(outDir, "log"));
            return checkpointer.Sign(force: true)!.Checkpoint.Size;
        }
    }
}
