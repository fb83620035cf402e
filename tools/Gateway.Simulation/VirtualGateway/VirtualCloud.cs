using System;
using System.Collections.Generic;
using System.IO;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;

namespace Gateway.Simulation.VirtualGateway
{
    /// <summary>
    /// The regional cloud in process for a virtual gateway: the real <see cref="CloudReceiver"/> and
    /// <see cref="CommissioningVerifier"/> over a database (SQLite file or postgres: spec) and the key file
    /// <c>./gateway provision</c> writes. The key file is re-read when it changes (a gateway provisioned during the
    /// session becomes known without a restart), as a receiver reloading its keys would.
    /// </summary>
    public sealed class VirtualCloud : IDisposable
    {
        private readonly string _keyFile;
        private DateTime _keyStamp = DateTime.MinValue;
        private long _keyLength = -1;
        private CloudReceiver? _receiver;
        private CommissioningVerifier? _verifier;
        private KeyRing _keys = new();

        /// <summary>Opens the database and remembers the key file (it need not exist yet).</summary>
        public VirtualCloud(string dbSpec, string keyFile)
        {
            DbSpec = dbSpec;
            _keyFile = keyFile;
            Store = ReceiverStoreFactory.Open(dbSpec);
            Commissioning = new CommissioningStore(dbSpec);
        }

        /// <summary>The database spec.</summary>
        public string DbSpec { get; }

        /// <summary>The key file path.</summary>
        public string KeyFile => _keyFile;

        /// <summary>The readings store.</summary>
        public IReceiverStore Store { get; }

        /// <summary>The commissioning table.</summary>
        public CommissioningStore Commissioning { get; }

        /// <summary>Batch messages delivered.</summary>
        public int BatchesDelivered { get; private set; }

        /// <summary>The outcome of the last batch.</summary>
        public IngestOutcome? LastBatch { get; private set; }

        /// <summary>The current key ring (reloaded when the key file changed).</summary>
        public KeyRing Keys
        {
            get
            {
                Reload();
                return _keys;
            }
        }

        /// <summary>The receiver now in use (after reloading the keys if the key file changed).</summary>
        public CloudReceiver Receiver()
        {
            Reload();
            return _receiver!;
        }

        /// <summary>A batch published on gw/{id}/up: verified, stored, answered with acknowledgements.</summary>
        public IReadOnlyList<byte[]> DeliverBatch(byte[] payload, string transport)
        {
            Reload();
            BatchesDelivered++;
            LastBatch = _receiver!.Ingest(transport, payload, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return LastBatch.AckDownlinks;
        }

        /// <summary>A commissioning record published on gw/{id}/commission: verified and stored, or refused with a reason.</summary>
        public CommissioningOutcome DeliverCommissioning(byte[] payload, string transport)
        {
            Reload();
            return _verifier!.Ingest(transport, payload, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        private void Reload()
        {
            var info = new FileInfo(_keyFile);
            var stamp = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            var length = info.Exists ? info.Length : -1;
            if (_receiver is not null && stamp == _keyStamp && length == _keyLength)
            {
                return;
            }

            _keys = info.Exists ? KeyRing.Load(_keyFile) : new KeyRing();
            _receiver = new CloudReceiver(Store, _keys);
            _verifier = new CommissioningVerifier(_keys, Commissioning, Store);
            _keyStamp = stamp;
            _keyLength = length;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Commissioning.Dispose();
            Store.Dispose();
        }
    }
}
