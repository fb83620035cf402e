using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Cloud.Transparency
{
    /// <summary>An answer of the witness: HTTP status, content type and body.</summary>
    /// <param name="Status">200, 400, 403, 404, 409 or 422.</param>
    /// <param name="ContentType">The body's media type.</param>
    /// <param name="Body">The body.</param>
    public sealed record WitnessAnswer(int Status, string ContentType, string Body);

    /// <summary>
    /// A C2SP tlog-witness a second party runs (the prefecture, a neighbouring town): for each log it knows (by
    /// origin and verifier key) it keeps the latest checkpoint it cosigned, in a file written before it answers; it
    /// cosigns a new checkpoint (tlog-cosignature/v1) only when the log's signature verifies, the old size is the one it
    /// holds and the consistency proof from it verifies. A checkpoint of the same size with another root (a fork) or
    /// one that does not extend its predecessor (a rewritten log) is refused, raised as an alarm and kept as evidence.
    /// </summary>
    public sealed class Witness
    {
        private readonly NoteSigner _key;
        private readonly Dictionary<string, NoteVerifier> _logs;
        private readonly string _stateDir;
        private readonly Action<string> _alarm;
        private readonly object _gate = new();
        private readonly Func<long> _clock;

        /// <summary>A witness with its cosigning key, the logs it witnesses, its state folder and an alarm sink.</summary>
        public Witness(NoteSigner key, IEnumerable<NoteVerifier> logs, string stateDir, Action<string> alarm, Func<long>? clock = null)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Type != NoteSigner.Cosignature)
            {
                throw new ArgumentException("a witness cosigns with a cosignature (0x04) key", nameof(key));
            }

            _key = key;
            _logs = logs.ToDictionary(l => l.Name, StringComparer.Ordinal);
            _stateDir = stateDir;
            _alarm = alarm;
            _clock = clock ?? (() => DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Directory.CreateDirectory(Path.Combine(stateDir, "evidence"));
        }

        /// <summary>Alarms raised since start (forks and rewrites).</summary>
        public int Alarms { get; private set; }

        /// <summary>The latest checkpoint cosigned for an origin, or null.</summary>
        public SignedCheckpoint? Latest(string origin)
        {
            var path = StatePath(origin);
            return File.Exists(path) ? SignedCheckpoint.Parse(File.ReadAllText(path)) : null;
        }

        /// <summary>Handles one add-checkpoint request body.</summary>
        public WitnessAnswer AddCheckpoint(string body)
        {
            ArgumentNullException.ThrowIfNull(body);
            var split = body.IndexOf("\n\n", StringComparison.Ordinal);
            if (split < 0)
            {
                return Text(400, "no empty line between the old size and proof, and the checkpoint");
            }

            var head = body[..split].Split('\n');
            if (!head[0].StartsWith("old ", StringComparison.Ordinal) || !TryDecimal(head[0][4..], out var old))
            {
                return Text(400, "the first line is not \"old SIZE\"");
            }

            if (head.Length - 1 > 63)
            {
                return Text(400, "more than 63 consistency proof lines");
            }

            var proof = new List<byte[]>();
            foreach (var line in head.Skip(1))
            {
                try
                {
                    var h = Convert.FromBase64String(line);
                    if (h.Length != Merkle.HashSize)
                    {
                        return Text(400, "a proof line is not a 32-byte hash");
                    }

                    proof.Add(h);
                }
                catch (FormatException)
                {
                    return Text(400, "a proof line is not base64");
                }
            }

            SignedCheckpoint cp;
            try
            {
                cp = SignedCheckpoint.Parse(body[(split + 2)..]);
            }
            catch (FormatException ex)
            {
                return Text(400, ex.Message);
            }

            if (!_logs.TryGetValue(cp.Checkpoint.Origin, out var logKey))
            {
                return Text(404, $"unknown log origin {cp.Checkpoint.Origin}");
            }

            if (SignedNote.CountValid(cp.Text, cp.Signatures, logKey) <= 0)
            {
                return Text(403, "no valid signature of the log's key");
            }

            if (old > cp.Checkpoint.Size)
            {
                return Text(400, "the old size is larger than the checkpoint's");
            }

            lock (_gate)
            {
                var latest = Latest(cp.Checkpoint.Origin);
                var held = latest?.Checkpoint.Size ?? 0;
                if (old != held)
                {
                    return new WitnessAnswer(409, "text/x.tlog.size", held.ToString(CultureInfo.InvariantCulture) + "\n");
                }

                if (old == 0 && proof.Count > 0)
                {
                    return Text(422, "a consistency proof from size 0 must be empty");
                }

                if (latest is not null && old == cp.Checkpoint.Size && !latest.Checkpoint.Root.AsSpan().SequenceEqual(cp.Checkpoint.Root))
                {
                    Alarm("fork", $"log {cp.Checkpoint.Origin}: two checkpoints of size {old} with different roots ({Convert.ToBase64String(latest.Checkpoint.Root)} cosigned, {Convert.ToBase64String(cp.Checkpoint.Root)} offered)", body);
                    return new WitnessAnswer(409, "text/x.tlog.size", held.ToString(CultureInfo.InvariantCulture) + "\n");
                }

                if (latest is not null && !Merkle.VerifyConsistency(old, cp.Checkpoint.Size, latest.Checkpoint.Root, cp.Checkpoint.Root, proof))
                {
                    Alarm("rewrite", $"log {cp.Checkpoint.Origin}: the checkpoint of size {cp.Checkpoint.Size} does not extend the cosigned one of size {old} (consistency proof fails)", body);
                    return Text(422, "the consistency proof does not verify");
                }

                var mine = cp with { Signatures = cp.Signatures.Where(s => s.Name == logKey.Name && s.KeyId == logKey.KeyId).ToList() };
                var tmp = StatePath(cp.Checkpoint.Origin) + ".tmp";
                using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
                {
                    var bytes = Encoding.UTF8.GetBytes(mine.Note());
                    f.Write(bytes);
                    f.Flush(flushToDisk: true);
                }

                File.Move(tmp, StatePath(cp.Checkpoint.Origin), overwrite: true);
                return new WitnessAnswer(200, "text/plain; charset=utf-8", _key.Cosign(cp.Text, _clock()).Line());
            }
        }

        private void Alarm(string kind, string message, string evidence)
        {
            Alarms++;
            var name = $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfff}-{kind}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(evidence)))[..8]}.txt";
            File.WriteAllText(Path.Combine(_stateDir, "evidence", name), evidence);
            _alarm($"ALARM {kind}: {message}; the request is kept in {Path.Combine(_stateDir, "evidence", name)}");
        }

        private string StatePath(string origin)
        {
            var safe = new StringBuilder();
            foreach (var ch in origin)
            {
                safe.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_');
            }

            return Path.Combine(_stateDir, safe + "-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(origin)))[..8] + ".checkpoint");
        }

        private static bool TryDecimal(string s, out long value)
        {
            value = 0;
            return s.Length is > 0 and <= 19 && (s.Length == 1 || s[0] != '0') && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private static WitnessAnswer Text(int status, string message) => new(status, "text/plain; charset=utf-8", message + "\n");
    }
}
