using System;
using Gateway.Core.Security;
using Gateway.Core.Sensing;

namespace Gateway.Core.Codec
{
    /// <summary>
    /// Packs readings into authenticated version-2 batches (Codec/README.md §9) that fit a byte budget exactly: as many
    /// readings as fit, never more. All buffers are allocated by the constructor; encoding allocates nothing.
    /// Split by concern: the search and the chain here, the header in <c>.Header</c>, channel analysis and exceptions
    /// in <c>.Exceptions</c>, the value blocks in <c>.Blocks</c>.
    /// </summary>
    /// <remarks>
    /// Chain: every batch carries a link to the previous batch's tag. <see cref="Encode"/> does not advance the
    /// chain; call <see cref="Commit"/> when the batch is handed to the transport, then persist
    /// <see cref="GetChainState"/> (deep sleep loses RAM). Re-encoding without a commit yields a batch with the same link.
    /// </remarks>
    public sealed partial class BatchEncoder
    {
        /// <summary>
        /// Bytes of the persisted chain state: the previous batch's tag (bytes 0..15), the sequence after it
        /// (16..19, little-endian) and a marker (byte 31) saying bytes 16..19 are valid.
        /// </summary>
        public const int ChainStateLength = BatchFormat.FullTagBytes;

        /// <summary>Bytes before the batch in the work buffer: the tag's context (device id, first sequence, base time).</summary>
        private const int ContextBytes = 16;

        /// <summary>Chain state byte 31 when bytes 16..19 hold the sequence after the last committed batch.</summary>
        private const byte ChainMarker = 0xC2;

        private readonly IHmacSha256 _hmac;
        private readonly uint _deviceId;
        private readonly uint _bootCounter;
        private readonly byte[] _work;
        private readonly BitWriter _writer = new BitWriter();
        private readonly byte[] _lastTag = new byte[BatchFormat.FullTagBytes];
        private readonly byte[] _pendingTag = new byte[BatchFormat.FullTagBytes];
        private readonly byte[] _channels = new byte[BatchFormat.MaxChannels];
        private readonly RangeEncoder _range = new RangeEncoder();
        private readonly RangeEncoder _rangeTrial = new RangeEncoder();
        private readonly ushort[] _models = new ushort[BatchFormat.RangeModelCount];

        private Reading[] _readings;
        private uint[] _sequences;
        private int _offset;
        private int _channelCount;
        private int _patternLength;
        private int _taken;
        private long _blockBits;
        private long _exceptionBits;
        private int _lastLength;
        private int _lastTaken;
        private int _neededBytes;
        private int _zeroResiduals;
        private uint _pendingNext;
        private long _headerBits;

        /// <summary>
        /// The device's wall time (Unix ms) when it encodes, or 0 when the clock is not set. The compact form of the
        /// header (§9.3) is used only when it is set and the batch's base time is at most an hour old.
        /// </summary>
        public long NowMs { get; set; }

        /// <summary>
        /// True when every record before the batch's first is acknowledged, so the receiver's chain head is known to be
        /// at or just before it (§9.3); the compact form is used only then.
        /// </summary>
        public bool ReceiverInSync { get; set; }

        /// <summary>
        /// Creates an encoder for one device and boot. <paramref name="maxBatchBytes"/> bounds every budget
        /// (the work buffer); the encoder's state is about that many bytes plus 120.
        /// </summary>
        public BatchEncoder(IHmacSha256 hmac, uint deviceId, uint bootCounter, int maxBatchBytes)
        {
            if (hmac == null)
            {
                throw new ArgumentNullException("hmac");
            }

            if (maxBatchBytes < 16)
            {
                throw new ArgumentOutOfRangeException("maxBatchBytes");
            }

            _hmac = hmac;
            _deviceId = deviceId;
            _bootCounter = bootCounter;
            _work = new byte[maxBatchBytes + ContextBytes];
        }

        /// <summary>Readings the last <see cref="Encode"/> took (0 when not even one fits).</summary>
        public int Taken
        {
            get { return _taken; }
        }

        /// <summary>Bits of the channel blocks in the last batch (values only).</summary>
        public long LastBlockBits
        {
            get { return _blockBits; }
        }

        /// <summary>Bits of the header after byte 0 in the last batch (key, sequence, time, count, link, channels, period).</summary>
        public long LastHeaderBits
        {
            get { return _headerBits; }
        }

        /// <summary>Bits of the exception list (and time block) in the last batch.</summary>
        public long LastExceptionBits
        {
            get { return _exceptionBits; }
        }

        /// <summary>Bytes of the last batch.</summary>
        public int LastLength
        {
            get { return _lastLength; }
        }

        /// <summary>
        /// Encodes as many readings as fit in <paramref name="budgetBytes"/> (tag included), starting at
        /// <paramref name="offset"/>, at most <paramref name="count"/>. <paramref name="sequences"/> holds each reading's
        /// sequence, strictly increasing. <paramref name="tagBytes"/>: 8 (LoRaWAN) to 32, a multiple of 4.
        /// Returns the batch length written into <paramref name="output"/>, or 0 when not even one reading fits;
        /// <see cref="Taken"/> says how many readings the batch holds.
        /// </summary>
        public int Encode(Reading[] readings, uint[] sequences, int offset, int count, int budgetBytes, int tagBytes,
            byte[] output, int outputOffset)
        {
            if (readings == null || sequences == null || output == null)
            {
                throw new ArgumentNullException("readings");
            }

            if (offset < 0 || count < 0 || offset + count > readings.Length || offset + count > sequences.Length)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (tagBytes < BatchFormat.MinTagBytes || tagBytes > BatchFormat.FullTagBytes || (tagBytes & 3) != 0)
            {
                throw new ArgumentOutOfRangeException("tagBytes");
            }

            if (budgetBytes > _work.Length - ContextBytes)
            {
                budgetBytes = _work.Length - ContextBytes;
            }

            for (int i = offset + 1; i < offset + count; i++)
            {
                if (sequences[i] <= sequences[i - 1])
                {
                    throw new ArgumentException("sequences must increase");
                }
            }

            _readings = readings;
            _sequences = sequences;
            _offset = offset;
            _taken = 0;
            _lastLength = 0;
            if (count == 0)
            {
                return 0;
            }

            // Search for the largest count that fits; every trial encodes for real and reports the bytes it
            // needs, so the next trial is interpolated between the best fit and the smallest misfit (every third
            // step bisects, so the search always narrows).
            int good = 0;
            int bad = count + 1;
            long goodBytes = 0;
            long badBytes = 0;
            int trial = _lastTaken > 0 ? _lastTaken : 16;
            if (trial > count)
            {
                trial = count;
            }

            for (int step = 0; ; step++)
            {
                if (TryEncode(trial, budgetBytes, tagBytes) > 0)
                {
                    good = trial;
                    goodBytes = _neededBytes;
                }
                else
                {
                    bad = trial;
                    badBytes = _neededBytes;
                }

                if (bad - good <= 1)
                {
                    break;
                }

                long next;
                if (bad > count)
                {
                    // No misfit yet: extrapolate from the fit, 10 % beyond.
                    next = goodBytes <= 0 ? good * 2L : good + 1 + (long)good * (budgetBytes - goodBytes) * 11 / (10 * goodBytes);
                    if (next <= good)
                    {
                        next = good + 1;
                    }
                }
                else if (step % 3 == 2 || badBytes <= goodBytes)
                {
                    next = good + (bad - good) / 2;
                }
                else
                {
                    long from = good == 0 ? 0 : goodBytes;
                    next = good + (long)(bad - good) * (budgetBytes - from) / (badBytes - from);
                }

                if (next >= bad)
                {
                    next = bad - 1;
                }

                if (next <= good)
                {
                    next = good + 1;
                }

                trial = (int)next;
            }

            if (good == 0)
            {
                return 0;
            }

            int length = TryEncode(good, budgetBytes, tagBytes);
            PutContext();
            _hmac.Compute(_work, 0, ContextBytes + length - tagBytes, _pendingTag, 0);
            Array.Copy(_pendingTag, 0, _work, ContextBytes + length - tagBytes, tagBytes);
            Array.Copy(_work, ContextBytes, output, outputOffset, length);
            _pendingNext = _sequences[_offset + good - 1] + 1;
            _taken = good;
            _lastTaken = good;
            _lastLength = length;
            return length;
        }

        /// <summary>Makes the last encoded batch the chain head (call when it is handed to the transport).</summary>
        public void Commit()
        {
            Array.Copy(_pendingTag, 0, _lastTag, 0, 16);
            for (int i = 16; i < ChainStateLength; i++)
            {
                _lastTag[i] = 0;
            }

            _lastTag[16] = (byte)_pendingNext;
            _lastTag[17] = (byte)(_pendingNext >> 8);
            _lastTag[18] = (byte)(_pendingNext >> 16);
            _lastTag[19] = (byte)(_pendingNext >> 24);
            _lastTag[ChainStateLength - 1] = ChainMarker;
        }

        /// <summary>Copies the chain state (<see cref="ChainStateLength"/> bytes) to persist it across deep sleep.</summary>
        public void GetChainState(byte[] destination, int offset)
        {
            Array.Copy(_lastTag, 0, destination, offset, ChainStateLength);
        }

        /// <summary>Restores the chain state persisted by <see cref="GetChainState"/> (all zero: a new chain).</summary>
        public void SetChainState(byte[] source, int offset)
        {
            Array.Copy(source, offset, _lastTag, 0, ChainStateLength);
        }
    }
}
