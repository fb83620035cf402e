using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;

namespace Gateway.Simulation.VirtualGateway
{
    /// <summary>A real MQTT broker to put between the virtual gateway and its cloud.</summary>
    /// <param name="Host">Broker host.</param>
    /// <param name="Port">Broker port.</param>
    /// <param name="User">User name (the same for the gateway and the receiver here), or null.</param>
    /// <param name="Password">Password, or null.</param>
    public sealed record BrokerEndpoint(string Host, int Port, string? User, string? Password);

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

        private MqttReceiverService? _service;
        private IReceiverStore? _serviceStore;
        private CommissioningStore? _serviceCommissioning;

        /// <summary>
        /// Opens the database and remembers the key file (it need not exist yet). With <paramref name="broker"/>, the
        /// receiver runs on that broker (gw/+/up, gw/+/commission; its own connections to the database) and the
        /// gateway publishes there; otherwise messages are handed over in process.
        /// </summary>
        public VirtualCloud(string dbSpec, string keyFile, BrokerEndpoint? broker = null)
        {
            DbSpec = dbSpec;
            _keyFile = keyFile;
            Broker = broker;
            Store = ReceiverStoreFactory.Open(dbSpec);
            Commissioning = new CommissioningStore(dbSpec);
        }

        /// <summary>The broker, or null when in process.</summary>
        public BrokerEndpoint? Broker { get; }

        /// <summary>What the receiver on the broker logged (rejections, commissioning verdicts).</summary>
        public ConcurrentQueue<string> BrokerLog { get; } = new();

        /// <summary>Reloads the key file if it changed (and restarts the receiver on the broker with the new keys).</summary>
        public void Refresh() => Reload();

        /// <summary>
        /// With a broker: waits until the receiver has stored the record with <paramref name="tag"/> (or refused it),
        /// and returns its verdict as read from the database and the audit trail.
        /// </summary>
        public CommissioningOutcome AwaitCommissioning(uint deviceId, byte[] record, byte[] tag, TimeSpan timeout)
        {
            var hex = Gateway.Core.Codec.HexText.ToHex(tag);
            var deadline = DateTime.UtcNow + timeout;
            var events = Store.QueryChainEvents(deviceId).Count;
            while (DateTime.UtcNow < deadline)
            {
                var row = Commissioning.Query(deviceId).FirstOrDefault(r => r.TagHex == hex);
                if (row is not null)
                {
                    return new(CommissioningVerdict.Accepted, $"device {deviceId}: verified by the receiver on {Broker?.Host}:{Broker?.Port} and stored", null, row);
                }

                var refused = Store.QueryChainEvents(deviceId).Skip(events).FirstOrDefault(e => e.Kind.StartsWith("commissioning_", StringComparison.Ordinal));
                if (refused.Kind is not null)
                {
                    var verdict = Enum.TryParse<CommissioningVerdict>(refused.Kind["commissioning_".Length..], true, out var v) ? v : CommissioningVerdict.Malformed;
                    return new(verdict, refused.Detail, null, null);
                }

                System.Threading.Thread.Sleep(50);
            }

            return new(CommissioningVerdict.Malformed, $"no verdict from the receiver on the broker within {timeout.TotalSeconds:F0} s", null, null);
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

        /// <summary>
        /// A batch published on gw/{id}/up: verified, stored, answered with acknowledgements. <paramref name="receivedAtMs"/>:
        /// the cloud's time of arrival in the virtual world (negative: now), which compact batches are read against.
        /// </summary>
        public IReadOnlyList<byte[]> DeliverBatch(byte[] payload, string transport, long receivedAtMs = -1)
        {
            Reload();
            BatchesDelivered++;
            LastBatch = _receiver!.Ingest(transport, payload, receivedAtMs >= 0 ? receivedAtMs : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
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
            if (Broker is not null)
            {
                // A receiver reloading its keys: the persistent session keeps what was published meanwhile.
                _service?.Dispose();
                _serviceStore ??= ReceiverStoreFactory.Open(DbSpec);
                _serviceCommissioning ??= new CommissioningStore(DbSpec);
                _service = new MqttReceiverService(new CloudReceiver(_serviceStore, _keys),
                    new MqttReceiverSettings(Broker.Host, Broker.Port, Broker.User, Broker.Password, null, "virtual-cloud-" + Environment.ProcessId), BrokerLog.Enqueue)
                {
                    Commissioning = new CommissioningVerifier(_keys, _serviceCommissioning, _serviceStore),
                };
                if (!_service.Start(TimeSpan.FromSeconds(10)))
                {
                    throw new IOException($"the receiver could not connect to the broker {Broker.Host}:{Broker.Port}");
                }
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _service?.Dispose();
            _serviceCommissioning?.Dispose();
            _serviceStore?.Dispose();
            Commissioning.Dispose();
            Store.Dispose();
        }
    }
}
