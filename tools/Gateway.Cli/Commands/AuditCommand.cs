using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Gateway.Cloud;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway audit: the transparency log's keys, checkpoints, proofs, audit and witness (subcommands attach themselves).</summary>
    public sealed class AuditCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create() => new("audit", "the public, verifiable record of everything received: checkpoints, proofs, database audit, open-data export, witness");
    }

    /// <summary>What the audit commands share: opening the database, the log's public key, verified checkpoints.</summary>
    internal static class AuditSupport
    {
        public static Option<string?> VerifierKey() => new("--key")
        {
            Description = "the log's public (verifier) key, name+keyid+base64, or a file holding it (default: log.vkey beside an SQLite database)",
        };

        /// <summary>Opens the receiver's database (an SQLite file must exist).</summary>
        public static SqlReceiverStore Open(string db)
        {
            var spec = ReceiverStoreFactory.Parse(db);
            if (spec.Engine == StoreEngine.Sqlite)
            {
                ReceiverStoreFactory.CheckSqlitePath(spec.Target, mustExist: true);
            }

            return (SqlReceiverStore)ReceiverStoreFactory.Open(db);
        }

        /// <summary>The log's verifier key from --key, or log.vkey beside the SQLite file.</summary>
        public static NoteVerifier Key(string? key, string db)
        {
            if (key is not null)
            {
                return LogKeys.Verifier(key, "--key");
            }

            var spec = ReceiverStoreFactory.Parse(db);
            if (spec.Engine == StoreEngine.Sqlite)
            {
                ReceiverStoreFactory.CheckSqlitePath(spec.Target, mustExist: true);
            }

            var beside = spec.Engine == StoreEngine.Sqlite ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(spec.Target))!, "log.vkey") : null;
            if (beside is null || !File.Exists(beside))
            {
                throw new ConfigurationException("give the log's public key with --key (name+keyid+base64, or a file holding it)");
            }

            return LogKeys.Verifier(beside, beside);
        }

        /// <summary>The database's checkpoints and those in <paramref name="files"/> that the key signed, largest first; refuses a file that does not verify.</summary>
        public static List<SignedCheckpoint> Checkpoints(SqlReceiverStore store, NoteVerifier key, IEnumerable<string>? files)
        {
            var list = new List<SignedCheckpoint>();
            foreach (var note in store.ReadCheckpoints())
            {
                try
                {
                    list.Add(SignedCheckpoint.ParseVerified(note, key));
                }
                catch (FormatException)
                {
                    // A stored checkpoint that does not verify is no evidence either way: the published ones count.
                }
            }

            foreach (var f in files ?? Array.Empty<string>())
            {
                list.Add(Read(f, key));
            }

            return list.OrderByDescending(c => c.Checkpoint.Size).ToList();
        }

        /// <summary>Reads and verifies one checkpoint file.</summary>
        public static SignedCheckpoint Read(string file, NoteVerifier key)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"checkpoint {file}: {ex.Message}", ex);
            }

            try
            {
                return SignedCheckpoint.ParseVerified(text, key);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException($"checkpoint {file}: {ex.Message}", ex);
            }
        }

        /// <summary>Parses --witness URL,VKEY.</summary>
        public static List<WitnessClient> Witnesses(IEnumerable<string>? specs)
        {
            var list = new List<WitnessClient>();
            foreach (var s in specs ?? Array.Empty<string>())
            {
                var comma = s.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0 || !Uri.TryCreate(s[..comma].EndsWith('/') ? s[..comma] : s[..comma] + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    throw new ConfigurationException($"--witness {s}: not URL,VKEY (e.g. http://witness.example:7380/,name+keyid+base64)");
                }

                var key = LogKeys.Verifier(s[(comma + 1)..], "--witness");
                if (key.Type != NoteSigner.Cosignature)
                {
                    throw new ConfigurationException($"--witness {s}: the key is not a witness (cosignature, type 0x04) key");
                }

                list.Add(new WitnessClient(url, key));
            }

            return list;
        }
    }
}
