using System;
using System.Collections.Generic;
using Gateway.Core.Codec;

namespace Gateway.Cloud.Decoding
{
    /// <summary>
    /// Reassembles DR2 fragments (fPort 2) of one device into a batch (Codec/README.md §5.1), in any arrival order.
    /// Holds one batch in progress; a fragment of a different shape starts a new one. The batch is then verified
    /// by <see cref="BatchVerifier"/> like any other: nothing is trusted before. With the network's frame counters
    /// (<see cref="Add(byte[], uint, out string?)"/>) a fragment whose batch began at another frame counter also starts
    /// a new one, so the fragments left over from a batch that lost one never mix with the batch sent again.
    /// </summary>
    public sealed class FragmentReassembler
    {
        private readonly byte[]?[] _parts = new byte[BatchFragmenter.MaxFragments][];
        private int _count;
        private uint _firstFCnt;
        private bool _byFCnt;

        /// <summary>
        /// Adds a fragment sent with LoRaWAN frame counter <paramref name="fCnt"/>: a batch's fragments go in order in
        /// consecutive frames, so fragment i of the batch that began at frame counter b has frame counter b + i.
        /// Returns the whole batch when this fragment completes it, else null.
        /// </summary>
        public byte[]? Add(byte[] frame, uint fCnt, out string? error)
        {
            if (frame is not null && frame.Length >= 1)
            {
                var first = unchecked(fCnt - (uint)(frame[0] >> 4));
                if (!_byFCnt || first != _firstFCnt)
                {
                    Array.Clear(_parts);
                    _count = 0;
                    _firstFCnt = first;
                    _byFCnt = true;
                }
            }

            return Add(frame!, out error);
        }

        /// <summary>
        /// Reads a fragment's header (Codec/README.md §5.1): its index, the batch's fragment count and the batch bytes it
        /// carries; false with the reason when the fragment is malformed.
        /// </summary>
        public static bool TryParse(byte[] frame, out int index, out int count, out byte[] body, out string? error)
        {
            index = count = 0;
            body = Array.Empty<byte>();
            error = null;
            if (frame is null || frame.Length < 2 || frame.Length > BatchFragmenter.FrameBytes)
            {
                error = "a fragment has 2..11 bytes";
                return false;
            }

            index = frame[0] >> 4;
            count = (frame[0] & 0xF) + 1;
            if (index >= count)
            {
                error = $"fragment index {index} of {count}";
                return false;
            }

            if (index < count - 1 && frame.Length != BatchFragmenter.FrameBytes)
            {
                error = "only the last fragment may be short";
                return false;
            }

            body = frame.AsSpan(1).ToArray();
            return true;
        }

        /// <summary>The batch the bodies of its fragments make, in index order.</summary>
        public static byte[] Join(IReadOnlyList<byte[]> bodies)
        {
            ArgumentNullException.ThrowIfNull(bodies);
            var length = 0;
            foreach (var b in bodies)
            {
                length += b.Length;
            }

            var batch = new byte[length];
            var at = 0;
            foreach (var b in bodies)
            {
                b.CopyTo(batch, at);
                at += b.Length;
            }

            return batch;
        }

        /// <summary>Adds a fragment; returns the whole batch when this fragment completes it, else null.</summary>
        public byte[]? Add(byte[] frame, out string? error)
        {
            if (!TryParse(frame, out var index, out var count, out var body, out error))
            {
                return null;
            }

            if (count != _count)
            {
                Array.Clear(_parts);
                _count = count;
            }

            _parts[index] = body;
            for (int i = 0; i < count; i++)
            {
                if (_parts[i] is null)
                {
                    return null;
                }
            }

            var batch = Join(_parts.AsSpan(0, count).ToArray()!);
            Array.Clear(_parts);
            _count = 0;
            _byFCnt = false;
            return batch;
        }
    }
}
