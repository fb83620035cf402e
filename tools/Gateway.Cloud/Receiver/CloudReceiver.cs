using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Cloud.Storage;
using Gateway.Core.Downlink;
using Gateway.Cloud.Security;
using Gateway.Cloud.Transparency;

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
        /// <summary>The audit-trail kinds (<see cref="CloudReceiver.Kind"/>) of the accepting verdicts: one leaf of the log each.</summary>
        public static readonly IReadOnlySet<string> AcceptedKinds = Enum.GetValues<BatchVerdict>().Where(IsAccepted).Select(CloudReceiver.Kind).ToHashSet();

        /// <summary>True when the batch was authentic and its readings are stored.</summary>
        public bool Accepted => IsAccepted(Verdict);

        /// <summary>True for a verdict on an authentic batch whose readings are stored (new, reordered, after a gap, resent, conflicting).</summary>
        public static bool IsAccepted(BatchVerdict verdict) =>
            verdict is BatchVerdict.Ok or BatchVerdict.Reordered or BatchVerdict.Dropped or BatchVerdict.Replayed or BatchVerdict.Conflict;
    }

    /// <summary>One message for <see cref="CloudReceiver.IngestMany"/>.</summary>
    /// <param name="Transport">lora, cellular, wifi.</param>
    /// <param name="Payload">The batch bytes.</param>
    /// <param name="ReceivedAtMs">When it arrived, Unix ms UTC.</param>
    /// <param name="Source">The MQTT topic it came on: when given, an invalid message is counted in its topic's bucket
    /// for the minute (one audit row per topic, kind and minute) instead of getting a row of its own.</param>
    public readonly record struct IncomingBatch(string Transport, byte[] Payload, long ReceivedAtMs, string? Source = null);

    /// <summary>
    /// The transport-neutral heart of the cloud receiver: verifies each batch against the device's key and chain,
    /// stores what is authentic exactly once, keeps an audit trail of everything else, and answers with
    /// acknowledgements of exactly the sequences now stored. Transports (MQTT topics, LoRaWAN network-server
    /// integrations) call <see cref="IngestMany"/> (or Ingest) and deliver the acknowledgements back. One instance per receiver loop.
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

        /// <summary>
        /// Takes a reloaded key file (SIGHUP) at the start of the next ingest, on the ingesting thread: new devices and
        /// rotated keys are accepted from then on, keys no longer in the file are retired (their batches are WrongKey).
        /// </summary>
        public void RequestKeys(KeyRing fresh) => Volatile.Write(ref _pendingKeys, fresh);

        private KeyRing? _pendingKeys;

        private void ApplyPendingKeys()
        {
            var fresh = Interlocked.Exchange(ref _pendingKeys, null);
            if (fresh is null)
            {
                return;
            }

            foreach (var old in _keys.Keys)
            {
                if (!fresh.Keys.Any(k => k.DeviceId == old.DeviceId && k.KeyId == old.KeyId))
                {
                    _verifier.RetireKey(old.DeviceId, old.KeyId);
                }
            }

            foreach (var k in fresh.Keys.OrderBy(k => k.KeyId))
            {
                _verifier.AddKey(k.DeviceId, k.KeyId, k.Key);
                _downlinks.Remove(k.DeviceId); // the acknowledgement codec follows the device's current key
            }

            _keys.ReplaceWith(fresh);
        }

        /// <summary>Devices whose chain state was loaded from the store at start-up.</summary>
        public int ChainStatesLoaded { get; }

        /// <summary>Counts by verdict since start-up.</summary>
        public Dictionary<BatchVerdict, int> Verdicts { get; } = new();

        /// <summary>The store behind the receiver.</summary>
        public IReceiverStore Store => _store;

        /// <summary>
        /// Verifies, stores and acknowledges one batch, committed durably before it returns (see <see cref="IngestMany"/>).
        /// Junk (undecodable, forged, unknown key) gets one audit row per message; pass a source to count it per
        /// source and minute instead.
        /// </summary>
        public IngestOutcome Ingest(string transport, byte[] payload, long receivedAtMs) =>
            IngestMany(new[] { new IncomingBatch(transport, payload, receivedAtMs) })[0];

        /// <summary>Verifies, stores and acknowledges one batch; junk is counted per <paramref name="source"/> (the MQTT topic) and minute.</summary>
        public IngestOutcome Ingest(string transport, byte[] payload, long receivedAtMs, string source) =>
            IngestMany(new[] { new IncomingBatch(transport, payload, receivedAtMs, source) })[0];

        /// <summary>
        /// Verifies and stores several messages in ONE durable transaction (group commit) and returns one outcome per
        /// message, in order. When this returns, every reading, audit row, junk count and chain state of the group is
        /// committed durably: only then may the caller acknowledge the messages to the broker and send the
        /// acknowledgement downlinks. When it throws, nothing of the group is stored and nothing may be acknowledged.
        /// The devices' chain states are read and locked in the transaction, so several receivers (processes) on one
        /// database, or the same batch arriving twice, keep every chain and every reading exactly once.
        /// </summary>
        public IReadOnlyList<IngestOutcome> IngestMany(IReadOnlyList<IncomingBatch> messages)
        {
            ApplyPendingKeys();
            ArgumentNullException.ThrowIfNull(messages);
            if (messages.Count == 0)
            {
                return Array.Empty<IngestOutcome>();
            }

            // The devices whose chains this group may move: decodable batches of devices with a key here.
            var claimed = new DecodedBatch?[messages.Count];
            var devices = new HashSet<uint>();
            for (var i = 0; i < messages.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(messages[i].Payload);
                claimed[i] = Claim(messages[i]);
                if (claimed[i] is { } c && _verifier.Knows(c.DeviceId))
                {
                    devices.Add(c.DeviceId);
                }

                // A device the topic names has its chain locked too, whether or not its key verified the batch above.
                uint named = DeviceFromTopic(messages[i].Source);
                if (named != 0 && _verifier.Knows(named))
                {
                    devices.Add(named);
                }
            }

            var decided = _store.Commit(t => Decide(t, messages, claimed, devices));
            var outcomes = new IngestOutcome[messages.Count];
            for (var i = 0; i < outcomes.Length; i++)
            {
                var d = decided[i];
                Verdicts[d.Verdict] = Verdicts.GetValueOrDefault(d.Verdict) + 1;
                var acks = d.Batch is null ? (IReadOnlyList<byte[]>)Array.Empty<byte[]>() : BuildAcks(d.Batch, d.FirstCounter);
                outcomes[i] = new IngestOutcome(d.Verdict, d.Message, d.DeviceId, d.Stored, d.Duplicates, acks);
            }

            return outcomes;
        }

        /// <summary>What the transaction decided for one message (the acknowledgements are built after the commit).</summary>
        private readonly record struct Decided(BatchVerdict Verdict, string Message, uint DeviceId, int Stored, int Duplicates, DecodedBatch? Batch, uint FirstCounter);

        /// <summary>The work of one transaction; run again from the start when the store retries it.</summary>
        private Decided[] Decide(IReceiverTransaction t, IReadOnlyList<IncomingBatch> messages, DecodedBatch?[] claimed, HashSet<uint> devices)
        {
            // Each chain continues from the state committed in the database (another receiver may have moved it).
            var states = t.LockChainStates(devices);
            foreach (var id in devices)
            {
                if (!states.TryGetValue(id, out var state) || !_verifier.ImportState(id, state))
                {
                    _verifier.ResetState(id);
                }
            }

            // Verify every message in order (a device's chain moves from one of its batches to the next, in memory).
            var results = new VerifyResult[messages.Count];
            var rows = new List<IReadOnlyList<ReceivedReading>>();
            var rowsOf = new int[messages.Count];
            var moved = new SortedSet<uint>();
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                uint device = claimed[i]?.DeviceId ?? DeviceFromTopic(m.Source);
                results[i] = BatchDecoder.VersionOf(m.Payload) == BatchFormat.Version && device == 0
                    ? new VerifyResult(BatchVerdict.BadTag, "no device's key verifies the batch (forged or altered, or outside the receiver's window)", null)
                    : Verify(m.Payload, device, m.ReceivedAtMs);
                rowsOf[i] = -1;
                if ((results[i].Accepted || results[i].Verdict == BatchVerdict.Replayed) && results[i].Batch is { } batch)
                {
                    var list = new List<ReceivedReading>(batch.Readings.Count);
                    foreach (var r in batch.Readings)
                    {
                        list.Add(new ReceivedReading(batch.DeviceId, r.Sequence, (byte)r.Reading.Channel, r.Reading.TimeMs, r.Reading.Value,
                            (ushort)r.Reading.Status, m.ReceivedAtMs, m.Transport));
                    }

                    rowsOf[i] = rows.Count;
                    rows.Add(list);

                    // Replayed batches change nothing in the chain; every other accepted one moves it, saved in this transaction.
                    if (results[i].Verdict != BatchVerdict.Replayed)
                    {
                        moved.Add(batch.DeviceId);
                    }
                }
            }

            // Store the readings, then write the audit, the acknowledgement counters, the chains and the junk counts.
            var stored = t.InsertBatches(rows);
            var decided = new Decided[messages.Count];
            var events = new List<ChainEvent>(messages.Count);
            var downlinks = new int[messages.Count];
            var counters = new Dictionary<uint, int>();
            List<JunkCount>? junk = null;
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                var result = results[i];
                if (rowsOf[i] < 0 || result.Batch is not { } batch)
                {
                    // The audit trail names the device and range the message claimed, even when it proved nothing.
                    var c = claimed[i];
                    var deviceId = c?.DeviceId ?? DeviceFromTopic(m.Source);
                    if (m.Source is null)
                    {
                        events.Add(new ChainEvent(deviceId, m.ReceivedAtMs, m.Transport, Kind(result.Verdict), c?.FirstSequence ?? 0, c?.Readings.Count ?? 0, result.Message));
                    }
                    else
                    {
                        (junk ??= new List<JunkCount>()).Add(new JunkCount(m.Source, m.Transport, Kind(result.Verdict), m.ReceivedAtMs, 1, deviceId,
                            c?.FirstSequence ?? 0, c?.Readings.Count ?? 0, result.Message));
                    }

                    decided[i] = new Decided(result.Verdict, result.Message, deviceId, 0, 0, null, 0);
                    continue;
                }

                var s = stored[rowsOf[i]];
                var verdict = result.Verdict;
                var message = result.Message;
                if (s.Conflicts > 0)
                {
                    verdict = BatchVerdict.Conflict;
                    message = $"{s.Conflicts} of sequences {batch.FirstSequence}..{batch.LastSequence} were stored before with other values: " +
                              "the stored values are kept, these are kept aside in reading_conflicts (" + result.Message + ")";
                }

                events.Add(new ChainEvent(batch.DeviceId, m.ReceivedAtMs, m.Transport, Kind(verdict), batch.FirstSequence, batch.Readings.Count, message));
                downlinks[i] = _keys.Current(batch.DeviceId) is null ? 0 : (AckRuns(batch).Count + DownlinkCommand.MaxAckRanges - 1) / DownlinkCommand.MaxAckRanges;
                if (downlinks[i] > 0)
                {
                    counters[batch.DeviceId] = counters.GetValueOrDefault(batch.DeviceId) + downlinks[i];
                }

                decided[i] = new Decided(verdict, message, batch.DeviceId, s.Stored, s.Duplicates, batch, 0);
            }

            t.AddChainEvents(events);
            var next = new Dictionary<uint, uint>(t.ReserveDownlinkCounters(counters));
            for (var i = 0; i < decided.Length; i++)
            {
                if (downlinks[i] > 0)
                {
                    var device = decided[i].DeviceId;
                    decided[i] = decided[i] with { FirstCounter = next[device] };
                    next[device] += (uint)downlinks[i];
                }
            }

            t.SaveChainStates(moved.Select(id => new ChainState(id, _verifier.ExportState(id)!)).ToList());
            if (junk is not null)
            {
                t.CountJunk(junk);
            }

            // Last, under the log head's lock (held until the commit): every accepted batch becomes a leaf, in order.
            var leaves = new List<PendingLeaf>();
            var rejected = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                if (decided[i].Batch is { } b)
                {
                    leaves.Add(new PendingLeaf(new LogLeaf(b.DeviceId, b.FirstSequence, messages[i].ReceivedAtMs, messages[i].Transport, LogLeaf.Of(decided[i].Verdict), messages[i].Payload),
                        b.FirstSequence, b.Readings.Count));
                }
                else
                {
                    rejected++;
                }
            }

            t.AppendLeaves(leaves, rejected);
            return decided;
        }

        private VerifyResult Verify(byte[] payload, uint deviceId, long receivedAtMs)
        {
            try
            {
                return _verifier.Verify(payload, deviceId, receivedAtMs);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The decoder is fuzzed never to throw; this guard keeps one bad message from stopping the region's receiver.
                return new VerifyResult(BatchVerdict.Malformed, "decoder failure: " + ex.Message, null);
            }
        }

        /// <summary>
        /// The device and range a message claims: version 1 names its device; a version-2 batch is the device's its
        /// topic names (gw/{id}/…), or the one device whose key verifies it (Codec/README.md §9.3).
        /// </summary>
        private DecodedBatch? Claim(IncomingBatch m)
        {
            if (BatchDecoder.VersionOf(m.Payload) != BatchFormat.Version)
            {
                return TryDecode(m.Payload);
            }

            try
            {
                uint named = DeviceFromTopic(m.Source);
                var verified = _verifier.Identify(m.Payload, named, m.ReceivedAtMs);
                if (verified is null && named != 0 && BatchDecoder.TryDecode(m.Payload, new BatchContext(named, 0, m.ReceivedAtMs), out var claimed, out _) == DecodeStatus.Ok)
                {
                    return claimed; // what the message claims for the topic's device (for the audit; verified later)
                }

                return verified;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return null;
            }
        }

        /// <summary>The device id a gateway topic names (gw/{id}/…), or 0.</summary>
        public static uint DeviceFromTopic(string? topic)
        {
            if (topic is null || !topic.StartsWith("gw/", StringComparison.Ordinal))
            {
                return 0;
            }

            int end = topic.IndexOf('/', 3);
            var id = end < 0 ? topic[3..] : topic[3..end];
            return uint.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
        }

        private static DecodedBatch? TryDecode(byte[] payload)
        {
            try
            {
                return BatchDecoder.TryDecode(payload, out var decoded, out _) == DecodeStatus.Ok ? decoded : null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return null;
            }
        }

        /// <summary>The audit-trail name of a verdict.</summary>
        public static string Kind(BatchVerdict v) => v switch
        {
            BatchVerdict.Ok => "accepted",
            BatchVerdict.BadTag => "forged_or_altered",
            BatchVerdict.WrongKey => "wrong_key",
            _ => v.ToString().ToLowerInvariant(),
        };

        /// <summary>Runs of consecutive sequences the batch carried, in order.</summary>
        private static List<(uint First, uint Count)> AckRuns(DecodedBatch batch)
        {
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

            return runs;
        }

        /// <summary>
        /// Acknowledges exactly the sequences the batch carried (runs of consecutive sequences, 16 per downlink), with
        /// the downlink counters reserved in the batch's transaction (so no counter is ever reused).
        /// </summary>
        private List<byte[]> BuildAcks(DecodedBatch batch, uint firstCounter)
        {
            var key = _keys.Current(batch.DeviceId);
            if (key is null || firstCounter == 0)
            {
                return new List<byte[]>();
            }

            if (!_downlinks.TryGetValue(batch.DeviceId, out var codec))
            {
                codec = new DownlinkCodec(batch.DeviceId, new CloudHmacSha256(key.KeyId, key.Key));
                _downlinks[batch.DeviceId] = codec;
            }

            var runs = AckRuns(batch);
            var downlinks = new List<byte[]>();
            var counter = firstCounter;
            for (var i = 0; i < runs.Count; i += DownlinkCommand.MaxAckRanges)
            {
                var cmd = new DownlinkCommand { Kind = DownlinkKind.Ack, Counter = counter++ };
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
