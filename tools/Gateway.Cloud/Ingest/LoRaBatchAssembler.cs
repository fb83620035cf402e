using System;
using System.Collections.Generic;
using System.Threading;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;

namespace Gateway.Cloud.Ingest
{
    /// <summary>What became of one LoRaWAN uplink: a whole batch to verify, a fragment kept until its batch is whole, or a refusal.</summary>
    /// <param name="Batch">The batch bytes when the uplink carried or completed one.</param>
    /// <param name="Error">Why the uplink was refused (a port that carries no batch, a malformed fragment).</param>
    /// <param name="Fragments">When fragments made the batch: whose they were, to forget once the batch is stored (<see cref="LoRaBatchAssembler.Stored"/>).</param>
    public readonly record struct LoRaPayload(byte[]? Batch, string? Error, FragmentKey? Fragments = null)
    {
        /// <summary>True while a fragment waits for the rest of its batch.</summary>
        public bool Waiting => Batch is null && Error is null;
    }

    /// <summary>
    /// The ports of a LoRaWAN uplink (Codec/README.md §5.1): whole batches on <see cref="BatchFragmenter.BatchPort"/>,
    /// DR2 fragments on <see cref="BatchFragmenter.FragmentPort"/>, kept in an <see cref="IFragmentStore"/> (the
    /// receiver's database) under their device and the frame counter of fragment 0 — a batch's fragments go in
    /// consecutive frames, so fragment i of the batch that began at frame counter b has frame counter b + i, and the
    /// fragments left over from a batch that lost one never mix with the batch sent again — until the batch is whole;
    /// then it is verified like any other. A lost fragment loses its batch: nothing is acknowledged, so the gateway
    /// sends the batch again. Thread-safe.
    /// </summary>
    public sealed class LoRaBatchAssembler
    {
        /// <summary>How long fragments wait for the rest of their batch (a gateway sends a batch's fragments within minutes).</summary>
        public const long KeepFragmentsMs = 24L * 3600 * 1000;

        private readonly IFragmentStore _store;
        private long _fragments;
        private long _reassembled;

        /// <summary>Fragments kept in memory (one receiver that never restarts).</summary>
        public LoRaBatchAssembler()
            : this(new MemoryFragmentStore())
        {
        }

        /// <summary>Fragments kept in <paramref name="store"/> (the receiver's database).</summary>
        public LoRaBatchAssembler(IFragmentStore store)
        {
            ArgumentNullException.ThrowIfNull(store);
            _store = store;
        }

        /// <summary>Fragments taken so far.</summary>
        public long Fragments => Interlocked.Read(ref _fragments);

        /// <summary>Batches made whole from fragments so far.</summary>
        public long Reassembled => Interlocked.Read(ref _reassembled);

        /// <summary>Takes one uplink; a fragment is kept (durably, with a database store) before this returns.</summary>
        public LoRaPayload Take(NetworkUplink uplink)
        {
            ArgumentNullException.ThrowIfNull(uplink);
            if (uplink.FPort == BatchFragmenter.BatchPort)
            {
                return new LoRaPayload(uplink.Payload, null);
            }

            if (uplink.FPort != BatchFragmenter.FragmentPort)
            {
                return new LoRaPayload(null, $"fPort {uplink.FPort} carries no batch (batches on {BatchFragmenter.BatchPort}, fragments on {BatchFragmenter.FragmentPort})");
            }

            if (!FragmentReassembler.TryParse(uplink.Payload, out var index, out var count, out var body, out var error))
            {
                return new LoRaPayload(null, "fragment: " + error);
            }

            var key = new FragmentKey(uplink.DevEui, unchecked(uplink.FCnt - (uint)index), count);
            var parts = _store.AddFragment(key, index, body, uplink.ReceivedAt.ToUnixTimeMilliseconds(), KeepFragmentsMs);
            Interlocked.Increment(ref _fragments);
            if (parts is null)
            {
                return new LoRaPayload(null, null);
            }

            var batch = FragmentReassembler.Join(parts);
            Interlocked.Increment(ref _reassembled);
            return new LoRaPayload(batch, null, key);
        }

        /// <summary>
        /// The batch <paramref name="payload"/> made of fragments is stored (or was refused for good): its fragments are
        /// forgotten. Should this not happen (the receiver killed in between), the fragments wait until they are too old;
        /// the batch they make again is recognised as stored.
        /// </summary>
        public void Stored(LoRaPayload payload)
        {
            if (payload.Fragments is { } key)
            {
                _store.RemoveFragments(key);
            }
        }
    }
}
