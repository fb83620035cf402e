using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;
using Gateway.Core.Codec;

namespace Gateway.Cloud.Decoding
{
    /// <summary>What the receiver can prove about one batch (firmware/Gateway.Core/Codec/README.md §5).</summary>
    public enum BatchVerdict
    {
        /// <summary>Authentic, continues the chain.</summary>
        Ok,

        /// <summary>Not a well-formed batch of a known version.</summary>
        Malformed,

        /// <summary>The batch ends before its bit stream and tag.</summary>
        Truncated,

        /// <summary>Unknown device, or a key id that is not the device's current key.</summary>
        WrongKey,

        /// <summary>The tag does not verify: forged, or altered after it was made (indistinguishable).</summary>
        BadTag,

        /// <summary>Authentic, but its sequences were already accepted.</summary>
        Replayed,

        /// <summary>Authentic and new, but older than the chain head: it arrived out of order (accepted).</summary>
        Reordered,

        /// <summary>Authentic, but the chain broke before it: sequences or a batch are missing (accepted).</summary>
        Dropped,

        /// <summary>
        /// Authentic, but some of its sequences were already stored with different values: the stored (first) values
        /// are kept — they are the ones the gateway had acknowledged — and the differing ones are kept aside for the
        /// audit. Decided by the receiver from what the store finds, not by the verifier alone.
        /// </summary>
        Conflict,
    }

    /// <summary>The verdict on one batch, with the decoded batch when it is authentic.</summary>
    public sealed record VerifyResult(BatchVerdict Verdict, string Message, DecodedBatch? Batch,
        uint MissingFirst = 0, uint MissingLast = 0)
    {
        /// <summary>True when the batch is authentic and its readings may be stored (Ok, Reordered, Dropped).</summary>
        public bool Accepted => Verdict is BatchVerdict.Ok or BatchVerdict.Reordered or BatchVerdict.Dropped;
    }

    /// <summary>
    /// The cloud's verifier: keeps per-device keys and chain state, and classifies each batch. Not thread-safe:
    /// one instance per receiver loop (or lock around <see cref="Verify(byte[], uint, long)"/>).
    /// </summary>
    public sealed class BatchVerifier
    {
        private sealed class DeviceState
        {
            public readonly Dictionary<byte, byte[]> Keys = new();
            public byte CurrentKeyId;
            public bool HasHead;
            public long NextSequence;
            public ushort HeadLink;
            public readonly List<(uint First, uint Last)> Accepted = new();
        }

        private readonly Dictionary<uint, DeviceState> _devices = new();

        /// <summary>Provisions (or rotates to) a key for a device; the newest key id becomes the current one.</summary>
        public void AddKey(uint deviceId, byte keyId, byte[] key)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (key.Length < 16)
            {
                throw new ArgumentException("a device key has at least 16 bytes", nameof(key));
            }

            if (!_devices.TryGetValue(deviceId, out var d))
            {
                d = new DeviceState();
                _devices[deviceId] = d;
            }

            d.Keys[keyId] = (byte[])key.Clone();
            d.CurrentKeyId = keyId;
        }

        /// <summary>Retires a key: batches made with it are then WrongKey.</summary>
        public void RetireKey(uint deviceId, byte keyId)
        {
            if (_devices.TryGetValue(deviceId, out var d))
            {
                d.Keys.Remove(keyId);
            }
        }

        /// <summary>Keeps the accepted sequence ranges sorted and merged, so memory grows with holes, not with batches.</summary>
        private static void AddRange(List<(uint First, uint Last)> ranges, uint first, uint last)
        {
            int i = 0;
            while (i < ranges.Count && ranges[i].Last < first && ranges[i].Last + 1 != first)
            {
                i++;
            }

            while (i < ranges.Count && ranges[i].First <= last + 1UL)
            {
                first = Math.Min(first, ranges[i].First);
                last = Math.Max(last, ranges[i].Last);
                ranges.RemoveAt(i);
            }

            ranges.Insert(i, (first, last));
        }

        /// <summary>
        /// A device's chain state as bytes (format 1: version, has-head flag, next sequence, head link, the accepted
        /// sequence ranges), or null when the device is unknown. Saved with the readings it covers, so a restarted
        /// receiver continues the chain instead of starting a new one.
        /// </summary>
        public byte[]? ExportState(uint deviceId)
        {
            if (!_devices.TryGetValue(deviceId, out var d))
            {
                return null;
            }

            var bytes = new byte[1 + 1 + 8 + 2 + 4 + (d.Accepted.Count * 8)];
            bytes[0] = 1;
            bytes[1] = d.HasHead ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2), d.NextSequence);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(10), d.HeadLink);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), d.Accepted.Count);
            for (var i = 0; i < d.Accepted.Count; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16 + (i * 8)), d.Accepted[i].First);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20 + (i * 8)), d.Accepted[i].Last);
            }

            return bytes;
        }

        /// <summary>Forgets a device's chain (keys stay): its next batch starts a new chain, as for a device never seen.</summary>
        public void ResetState(uint deviceId)
        {
            if (_devices.TryGetValue(deviceId, out var d))
            {
                d.HasHead = false;
                d.NextSequence = 0;
                d.HeadLink = 0;
                d.Accepted.Clear();
            }
        }

        /// <summary>True when a key for the device was added.</summary>
        public bool Knows(uint deviceId) => _devices.ContainsKey(deviceId);

        /// <summary>
        /// Restores a device's chain state saved by <see cref="ExportState"/> (the device's keys must be added first).
        /// Returns false, changing nothing, when the bytes are not a state this version reads.
        /// </summary>
        public bool ImportState(uint deviceId, byte[] state)
        {
            ArgumentNullException.ThrowIfNull(state);
            if (!_devices.TryGetValue(deviceId, out var d) || state.Length < 16 || state[0] != 1)
            {
                return false;
            }

            var count = BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(12));
            if (count < 0 || state.Length != 16 + ((long)count * 8))
            {
                return false;
            }

            d.HasHead = state[1] == 1;
            d.NextSequence = BinaryPrimitives.ReadInt64LittleEndian(state.AsSpan(2));
            d.HeadLink = BinaryPrimitives.ReadUInt16LittleEndian(state.AsSpan(10));
            d.Accepted.Clear();
            for (var i = 0; i < count; i++)
            {
                d.Accepted.Add((BinaryPrimitives.ReadUInt32LittleEndian(state.AsSpan(16 + (i * 8))), BinaryPrimitives.ReadUInt32LittleEndian(state.AsSpan(20 + (i * 8)))));
            }

            return true;
        }

        /// <summary>Decodes, authenticates and classifies one batch, updating the device's chain state when accepted.</summary>
        public VerifyResult Verify(byte[] data) => Verify(data, 0, -1);

        /// <summary>
        /// Decodes, authenticates and classifies one batch, updating the device's chain state when accepted.
        /// <paramref name="deviceId"/>: the device the transport names (0: a version-2 batch is tried against every
        /// device with a key here, §9.3); <paramref name="receivedAtMs"/>: arrival time, Unix ms (needed by compact batches).
        /// </summary>
        public VerifyResult Verify(byte[] data, uint deviceId, long receivedAtMs)
        {
            var failure = Authenticate(data, deviceId, receivedAtMs, out var d, out var b);
            return failure ?? Classify(d!, b!);
        }

        /// <summary>
        /// The device whose key verifies the batch (its chain unchanged), or null: lets a receiver pick the chain a
        /// version-2 batch belongs to before it locks that chain.
        /// </summary>
        public DecodedBatch? Identify(byte[] data, uint deviceId, long receivedAtMs) =>
            Authenticate(data, deviceId, receivedAtMs, out _, out var b) is null ? b : null;

        private VerifyResult? Authenticate(byte[] data, uint deviceId, long receivedAtMs, out DeviceState? device, out DecodedBatch? batch)
        {
            ArgumentNullException.ThrowIfNull(data);
            device = null;
            batch = null;
            if (BatchDecoder.VersionOf(data) != BatchFormat.Version)
            {
                var status = BatchDecoder.TryDecode(data, out batch, out var error);
                if (status != DecodeStatus.Ok)
                {
                    return new VerifyResult(status == DecodeStatus.Truncated ? BatchVerdict.Truncated : BatchVerdict.Malformed, error, null);
                }

                if (deviceId != 0 && batch!.DeviceId != deviceId)
                {
                    return new VerifyResult(BatchVerdict.WrongKey, $"the batch names device {batch.DeviceId}, its transport device {deviceId}", null);
                }

                return Check(data, batch!, out device);
            }

            IEnumerable<uint> candidates = deviceId != 0 ? new[] { deviceId } : _devices.Keys;
            VerifyResult? failure = null;
            foreach (var id in candidates)
            {
                var context = new BatchContext(id, _devices.TryGetValue(id, out var known) && known.HasHead ? known.NextSequence : 0, receivedAtMs);
                var status = BatchDecoder.TryDecode(data, context, out var decoded, out var error);
                if (status != DecodeStatus.Ok)
                {
                    return new VerifyResult(status == DecodeStatus.Truncated ? BatchVerdict.Truncated : BatchVerdict.Malformed, error, null);
                }

                var result = Check(data, decoded!, out device);
                if (result is null)
                {
                    batch = decoded;
                    return null;
                }

                // A wrong key id says less than a tag that fails under the device's current key.
                if (failure is null || result.Verdict == BatchVerdict.BadTag)
                {
                    failure = result;
                }
            }

            return failure ?? new VerifyResult(BatchVerdict.WrongKey, "no device has a key here", null);
        }

        /// <summary>Null when the batch's tag verifies under its device's current key; else the verdict.</summary>
        private VerifyResult? Check(byte[] data, DecodedBatch b, out DeviceState? device)
        {
            if (!_devices.TryGetValue(b.DeviceId, out device))
            {
                return new VerifyResult(BatchVerdict.WrongKey, $"device {b.DeviceId} has no key here", null);
            }

            var d = device;
            if (b.KeyId != d.CurrentKeyId || !d.Keys.TryGetValue(b.KeyId, out var key))
            {
                return new VerifyResult(BatchVerdict.WrongKey, $"key id {b.KeyId} is not device {b.DeviceId}'s current key {d.CurrentKeyId}", null);
            }

            var full = HMACSHA256.HashData(key, BatchDecoder.MacInput(b, data));
            if (!CryptographicOperations.FixedTimeEquals(full.AsSpan(0, b.Tag.Length), b.Tag))
            {
                return new VerifyResult(BatchVerdict.BadTag, b.Compact
                    ? "the tag does not verify (forged or altered, or a compact batch outside the receiver's sequence or time window)"
                    : "the tag does not verify (forged or altered)", null);
            }

            return null;
        }

        private VerifyResult Classify(DeviceState d, DecodedBatch b)
        {
            foreach (var (first, last) in d.Accepted)
            {
                if (b.FirstSequence <= last && b.LastSequence >= first)
                {
                    return new VerifyResult(BatchVerdict.Replayed, $"sequences {b.FirstSequence}..{b.LastSequence} were already accepted", b);
                }
            }

            ushort tagLink = (ushort)((b.Tag[0] << 8) | b.Tag[1]);
            BatchVerdict verdict;
            string message;
            uint missingFirst = 0, missingLast = 0;
            if (!d.HasHead)
            {
                verdict = BatchVerdict.Ok;
                message = "first batch of the chain";
            }
            else if (b.FirstSequence < d.NextSequence)
            {
                verdict = BatchVerdict.Reordered;
                message = $"sequences {b.FirstSequence}..{b.LastSequence} arrived after later ones";
            }
            else if (b.Link == d.HeadLink)
            {
                verdict = BatchVerdict.Ok;
                message = b.FirstSequence == d.NextSequence ? "continues the chain" : "continues the chain (sequence hole holds no readings)";
            }
            else
            {
                verdict = BatchVerdict.Dropped;
                missingFirst = (uint)d.NextSequence;
                missingLast = b.FirstSequence == d.NextSequence ? (uint)d.NextSequence : b.FirstSequence - 1;
                message = b.FirstSequence > d.NextSequence
                    ? $"chain broken: sequences {missingFirst}..{missingLast} are missing"
                    : "chain broken: the previous batch is missing (its link does not match)";
            }

            AddRange(d.Accepted, b.FirstSequence, b.LastSequence);
            if (verdict != BatchVerdict.Reordered)
            {
                d.HasHead = true;
                d.NextSequence = (long)b.LastSequence + 1;
                d.HeadLink = tagLink;
            }

            return new VerifyResult(verdict, message, b, missingFirst, missingLast);
        }
    }
}
