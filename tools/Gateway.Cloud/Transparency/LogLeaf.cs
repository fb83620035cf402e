using System;
using System.Buffers.Binary;
using System.Text;
using Gateway.Cloud.Decoding;

namespace Gateway.Cloud.Transparency
{
    /// <summary>The receiver's verdict on a logged batch (only accepted batches are logged).</summary>
    public enum LeafVerdict : byte
    {
        /// <summary>Next in the device's chain.</summary>
        Accepted = 1,

        /// <summary>Authentic, arrived out of order.</summary>
        Reordered = 2,

        /// <summary>Authentic, after a gap the gateway reported.</summary>
        Dropped = 3,

        /// <summary>Authentic, every reading stored before (a resend).</summary>
        Replayed = 4,

        /// <summary>Authentic, some readings stored before with other values (kept aside).</summary>
        Conflict = 5,
    }

    /// <summary>
    /// One leaf of the log: a batch the receiver accepted, as it arrived. Encoded (see Transparency/README.md) as
    /// 0x01, device id (u32 BE), first sequence (u32 BE), receive time in Unix ms (i64 BE), verdict (u8), transport
    /// length (u8) and ASCII bytes, batch length (u32 BE) and the batch's bytes exactly as received (authenticated bytes
    /// and tag). The device id, the first sequence and the receive time are what a compact version-2 batch leaves to
    /// the receiver (codec README §9.3): with them in the leaf, anyone decodes the batch from the leaf alone.
    /// </summary>
    /// <param name="DeviceId">The device the batch authenticated as.</param>
    /// <param name="FirstSequence">The sequence of the batch's first reading, as the receiver resolved it.</param>
    /// <param name="ReceivedAtMs">When the receiver got it, Unix ms UTC.</param>
    /// <param name="Transport">lora, cellular, ...</param>
    /// <param name="Verdict">The receiver's verdict.</param>
    /// <param name="Batch">The batch bytes as received.</param>
    public sealed record LogLeaf(uint DeviceId, uint FirstSequence, long ReceivedAtMs, string Transport, LeafVerdict Verdict, byte[] Batch)
    {
        /// <summary>The encoding's format byte.</summary>
        public const byte Format = 0x01;

        /// <summary>The leaf bytes that are hashed.</summary>
        public byte[] Encode() => EncodeAfter(0);

        /// <summary>RFC 9162 leaf hash of <see cref="Encode()"/>: SHA-256(0x00 || leaf), hashed in one buffer.</summary>
        public byte[] Hash() => System.Security.Cryptography.SHA256.HashData(EncodeAfter(1));

        /// <summary>The leaf bytes after <paramref name="skip"/> zero bytes (1: the leaf-hash prefix).</summary>
        private byte[] EncodeAfter(int skip)
        {
            var transport = Encoding.ASCII.GetBytes(Transport);
            if (transport.Length > 255)
            {
                throw new ArgumentException("transport name longer than 255 bytes");
            }

            var bytes = new byte[skip + 1 + 4 + 4 + 8 + 1 + 1 + transport.Length + 4 + Batch.Length];
            var o = skip;
            bytes[o++] = Format;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(o), DeviceId);
            o += 4;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(o), FirstSequence);
            o += 4;
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(o), ReceivedAtMs);
            o += 8;
            bytes[o++] = (byte)Verdict;
            bytes[o++] = (byte)transport.Length;
            transport.CopyTo(bytes, o);
            o += transport.Length;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(o), (uint)Batch.Length);
            o += 4;
            Batch.CopyTo(bytes, o);
            return bytes;
        }

        /// <summary>Decodes leaf bytes; a <see cref="FormatException"/> says what is wrong.</summary>
        public static LogLeaf Decode(byte[] bytes)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            if (bytes.Length < 23 || bytes[0] != Format)
            {
                throw new FormatException("log leaf: too short or not format 0x01");
            }

            var device = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
            var first = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
            var at = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9));
            var verdict = (LeafVerdict)bytes[17];
            int tl = bytes[18];
            if (bytes.Length < 19 + tl + 4)
            {
                throw new FormatException("log leaf: truncated transport");
            }

            var transport = Encoding.ASCII.GetString(bytes, 19, tl);
            var bl = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(19 + tl));
            if (bl != bytes.Length - 23 - tl)
            {
                throw new FormatException("log leaf: the batch length does not match");
            }

            return new LogLeaf(device, first, at, transport, verdict, bytes[(23 + tl)..]);
        }

        /// <summary>
        /// Decodes the leaf's batch with what the leaf holds of the receiver's knowledge (device id, first sequence,
        /// receive time: codec README §9.3), so a version-2 batch decodes from the leaf alone.
        /// </summary>
        public DecodeStatus TryDecodeBatch(out DecodedBatch? batch, out string error) =>
            BatchDecoder.TryDecode(Batch, new BatchContext(DeviceId, FirstSequence, ReceivedAtMs), out batch, out error);

        /// <summary>The leaf verdict of an accepted batch verdict.</summary>
        public static LeafVerdict Of(BatchVerdict verdict) => verdict switch
        {
            BatchVerdict.Ok => LeafVerdict.Accepted,
            BatchVerdict.Reordered => LeafVerdict.Reordered,
            BatchVerdict.Dropped => LeafVerdict.Dropped,
            BatchVerdict.Replayed => LeafVerdict.Replayed,
            BatchVerdict.Conflict => LeafVerdict.Conflict,
            _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "only accepted batches are logged"),
        };
    }
}
