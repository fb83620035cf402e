using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Storage;
using Gateway.Core.Downlink;
using Gateway.Cloud.Security;

namespace Gateway.Cloud.Receiver
{
    /// <summary>What the receiver did with one message.</summary>
    /// <param name="Verdict">The verifier's verdict.</param>
    /// <param name="Message">A reason a person can read.</param>
    /// <param name="DeviceId">The device the batch claimed (0 when unreadable).</param>
    /// <param name="Stored">Readings newly stored.</param>
    /// <param name="Duplicates">Readings that were already stored.</param>
    /// <param name="AckDownlinks">Authenticated acknowledgement downlinks to send back (empty when nothing is to be acknowledged).</param>
    public sealed record IngestOutcome(BatchVerdict Verdict, string Message, uint DeviceId, int Stored, int Duplicates, IReadOnlyList<byte[]> AckDownlinks)
    {
        /// <summary>True when the batch was authentic and its readings are stored.</summary>
        public bool Accepted => Verdict is BatchVerdict.Ok or BatchVerdict.Reordered or BatchVerdict.Dropped or BatchVerdict.Replayed;
    }

    /// <summary>
    /// The transport-neutral heart of the cloud receiver: verifies each batch against the device's key and chain,
    /// stores what is authentic exactly once, keeps an audit trail of everything else, and answers with
    /// acknowledgements of exactly the sequences now stored. Transports (MQTT topics, LoRaWAN network-server
    /// integrations) call <see cref="Ingest"/> and deliver the acknowledgements back. One instance per receiver loop.
    /// </summary>
    public sealed class CloudReceiver
    {
        private readonly IReceiverStore _store;
        private readonly KeyRing _keys;
        private readonly BatchVerifier _verifier = new();
        private readonly Dictionary<uint, DownlinkCodec> _downlinks = new();
        private readonly byte[] _downlinkBuffer = new byte[DownlinkCodec.MaxBytes];

        /// <summary>Creates a receiver over a store with the region's device keys.</summary>
        public CloudReceiver(IReceiverStore store, KeyRing keys)
        {
            _store = store;
            _keys = keys;
            foreach (var k in keys.Keys.OrderBy(k => k.KeyId))
            {
                _verifier.AddKey(k.DeviceId, k.KeyId, k.Key);
            }

            // Each device's chain continues where the last run left it (saved with the readings it covers).
            foreach (var state in store.LoadChainStates())
            {
                if (_verifier.ImportState(state.DeviceId, state.State))
                {
                    ChainStatesLoaded++;
                }
            }
        }

        /// <summary>Devices whose chain state was loaded from the store at start-up.</summary>
        public int ChainStatesLoaded { get; }

        /// <summary>Counts by verdict since start-up.</summary>
        public Dictionary<BatchVerdict, int> Verdicts { get; } = new();

        /// <summary>The store behind the receiver.</summary>
        public IReceiverStore Store => _store;

        /// <summary>Verifies, stores and acknowledges one batch.</summary>
        public IngestOutcome Ingest(string transport, byte[] payload, long receivedAtMs)
        {
            ArgumentNullException.ThrowIfNull(payload);
            VerifyResult result;
            try
            {
                result = _verifier.Verify(payload);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The decoder is fuzzed never to throw; this guard keeps one bad message from stopping the region's receiver.
                result = new VerifyResult(BatchVerdict.Malformed, "decoder failure: " + ex.Message, null);
            }

            Verdicts[result.Verdict] = Verdicts.GetValueOrDefault(result.Verdict) + 1;
            var batch = result.Batch;
            var deviceId = batch?.DeviceId ?? 0;
            var accepted = result.Accepted || result.Verdict == BatchVerdict.Replayed;
            if (!accepted || batch is null)
            {
                // The audit trail names the device and range the message claimed, even when it proved nothing.
                var claimed = batch;
                if (claimed is null && BatchDecoder.TryDecode(payload, out var decoded, out _) == DecodeStatus.Ok)
                {
                    claimed = decoded;
                }

                deviceId = claimed?.DeviceId ?? 0;
                _store.StoreChainEvent(new ChainEvent(deviceId, receivedAtMs, transport, Kind(result.Verdict), claimed?.FirstSequence ?? 0,
                    claimed?.Readings.Count ?? 0, result.Message));
                return new IngestOutcome(result.Verdict, result.Message, deviceId, 0, 0, Array.Empty<byte[]>());
            }

            var rows = new List<ReceivedReading>(batch.Readings.Count);
            foreach (var r in batch.Readings)
            {
                rows.Add(new ReceivedReading(batch.DeviceId, r.Sequence, (byte)r.Reading.Channel, r.Reading.TimeMs, r.Reading.Value,
                    (ushort)r.Reading.Status, receivedAtMs, transport));
            }

            // Replayed batches change nothing in the chain; every other accepted one moves it, saved in the same transaction.
            var state = result.Verdict == BatchVerdict.Replayed ? null : _verifier.ExportState(batch.DeviceId);
            var stored = _store.StoreReadings(rows, state is null ? null : new ChainState(batch.DeviceId, state));
            if (result.Verdict != BatchVerdict.Ok)
            {
                _store.StoreChainEvent(new ChainEvent(deviceId, receivedAtMs, transport, Kind(result.Verdict), batch.FirstSequence,
                    batch.Readings.Count, result.Message));
            }

            var acks = BuildAcks(batch);
            return new IngestOutcome(result.Verdict, result.Message, deviceId, stored.Stored, stored.Duplicates, acks);
        }

        /// <summary>The audit-trail name of a verdict.</summary>
        public static string Kind(BatchVerdict v) => v switch
        {
            BatchVerdict.Ok => "accepted",
            BatchVerdict.BadTag => "forged_or_altered",
            BatchVerdict.WrongKey => "wrong_key",
            _ => v.ToString().ToLowerInvariant(),
        };

        /// <summary>Acknowledges exactly the sequences the batch carried (runs of consecutive sequences, 16 per downlink).</summary>
        private List<byte[]> BuildAcks(DecodedBatch batch)
        {
            var key = _keys.Current(batch.DeviceId);
            if (key is null)
            {
                return new List<byte[]>();
            }

            if (!_downlinks.TryGetValue(batch.DeviceId, out var codec))
            {
                codec = new DownlinkCodec(batch.DeviceId, new CloudHmacSha256(key.KeyId, key.Key));
                _downlinks[batch.DeviceId] = codec;
            }

            var runs = new List<(uint First, uint Count)>();
            foreach (var s in batch.Readings.Select(r => r.Sequence).Order())
            {
                if (runs.Count > 0 && runs[^1].First + runs[^1].Count == s)
                {
                    runs[^1] = (runs[^1].First, runs[^1].Count + 1);
                }
                else if (runs.Count == 0 || runs[^1].First + runs[^1].Count - 1 != s)
                {
                    runs.Add((s, 1));
                }
            }

            var downlinks = new List<byte[]>();
            for (var i = 0; i < runs.Count; i += DownlinkCommand.MaxAckRanges)
            {
                var cmd = new DownlinkCommand { Kind = DownlinkKind.Ack, Counter = _store.NextDownlinkCounter(batch.DeviceId) };
                cmd.AckRangeCount = Math.Min(DownlinkCommand.MaxAckRanges, runs.Count - i);
                for (var j = 0; j < cmd.AckRangeCount; j++)
                {
                    cmd.AckFirst[j] = runs[i + j].First;
                    cmd.AckCount[j] = runs[i + j].Count;
                }

                var n = codec.Encode(cmd, _downlinkBuffer);
                downlinks.Add(_downlinkBuffer.AsSpan(0, n).ToArray());
            }

            return downlinks;
        }
    }
}
