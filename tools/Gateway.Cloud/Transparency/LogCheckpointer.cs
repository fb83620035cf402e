using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Gateway.Cloud.Storage;

namespace Gateway.Cloud.Transparency
{
    /// <summary>
    /// Signs the log's head (a C2SP checkpoint) every few minutes when the log grew, and on demand: asks the
    /// configured witnesses to cosign it, stores it in the database, writes it to the checkpoint folder
    /// (<c>checkpoint</c>, the latest, and <c>checkpoints/SIZE</c>) and hands it to a publisher (the receiver publishes
    /// it retained on <c>log/ORIGIN/checkpoint</c>). The private key stays in its file and in this process.
    /// </summary>
    public sealed class LogCheckpointer : IDisposable
    {
        private readonly SqlReceiverStore _store;
        private readonly NoteSigner _key;
        private readonly string? _folder;
        private readonly Action<string> _log;
        private readonly object _gate = new();
        private Timer? _timer;
        private long _signedSize = -1;

        /// <summary>A checkpointer over a store with the log's key.</summary>
        public LogCheckpointer(SqlReceiverStore store, NoteSigner key, string? folder, IReadOnlyList<WitnessClient>? witnesses = null, Action<string>? log = null)
        {
            _store = store;
            _key = key;
            _folder = folder;
            Witnesses = witnesses ?? Array.Empty<WitnessClient>();
            _log = log ?? (_ => { });
        }

        /// <summary>The witnesses asked for cosignatures.</summary>
        public IReadOnlyList<WitnessClient> Witnesses { get; }

        /// <summary>Called with each new signed checkpoint note (after it is stored and written).</summary>
        public Action<string, string>? Publish { get; set; }

        /// <summary>The MQTT topic of the log's latest checkpoint.</summary>
        public string Topic => "log/" + _key.Name + "/checkpoint";

        /// <summary>Signs every <paramref name="interval"/> when the log grew (and once now).</summary>
        public void Start(TimeSpan interval)
        {
            _timer = new Timer(_ =>
            {
                try
                {
                    Sign(force: false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _log("checkpoint: " + ex.Message);
                }
            }, null, TimeSpan.Zero, interval);
        }

        /// <summary>
        /// Signs the committed head (unless it is the size signed last and <paramref name="force"/> is false, then
        /// returns null), gathers cosignatures, stores, writes and publishes it.
        /// </summary>
        public SignedCheckpoint? Sign(bool force)
        {
            lock (_gate)
            {
                var head = _store.ReadLogHead();
                if (!force && head.Size == _signedSize)
                {
                    return null;
                }

                var body = new Checkpoint(_key.Name, head.Size, head.Root).Body();
                var signed = SignedCheckpoint.Parse(SignedNote.Sign(body, _key));
                foreach (var w in Witnesses)
                {
                    var lines = w.Cosign(signed, old => Merkle.ConsistencyProof(old, head.Size, _store.ReadLogNode));
                    if (lines.Count == 0)
                    {
                        _log($"checkpoint {head.Size}: witness {w.Key.Name} did not cosign: {w.LastError}");
                    }

                    signed = signed.With(lines);
                }

                var note = signed.Note();
                _store.SaveCheckpoint(head.Size, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), note);
                if (_folder is not null)
                {
                    Directory.CreateDirectory(Path.Combine(_folder, "checkpoints"));
                    WriteAtomically(Path.Combine(_folder, "checkpoints", head.Size.ToString(CultureInfo.InvariantCulture)), note);
                    WriteAtomically(Path.Combine(_folder, "checkpoint"), note);
                }

                Publish?.Invoke(Topic, note);
                _signedSize = head.Size;
                _log($"checkpoint {head.Size} signed ({signed.Signatures.Count - 1} cosignature(s))");
                return signed;
            }
        }

        /// <inheritdoc />
        public void Dispose() => _timer?.Dispose();

        private static void WriteAtomically(string path, string text)
        {
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
    }
}
