using System;
using Gateway.Core.Security;
using Gateway.Core.Sensing;

namespace Gateway.Core.Codec
{
    /// <summary>
    /// Packs readings into authenticated version-1 batches (Codec/README.md) that fit a byte budget exactly: as many
    /// readings as fit, never more. All buffers are allocated by the constructor; encoding allocates nothing.
    /// </summary>
    /// <remarks>
    /// Chain: every batch carries a link to the previous batch's tag. <see cref="Encode"/> does not advance the
    /// chain; call <see cref="Commit"/> when the batch is handed to the transport, then persist
    /// <see cref="GetChainState"/> (deep sleep loses RAM). Re-encoding without a commit yields a batch with the same link.
    /// </remarks>
    public sealed class BatchEncoder
    {
        /// <summary>Bytes of the persisted chain state (the previous batch's full tag).</summary>
        public const int ChainStateLength = BatchFormat.FullTagBytes;

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
            _work = new byte[maxBatchBytes];
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

        /// <summary>Bits of the exception list in the last batch.</summary>
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

            if (budgetBytes > _work.Length)
            {
                budgetBytes = _work.Length;
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

            // Gallop, then bisect, for the largest count that fits; each trial encodes for real.
            int good = 0;
            int bad = count + 1;
            int trial = 1;
            while (trial <= count)
            {
                if (TryEncode(trial, budgetBytes, tagBytes) > 0)
                {
                    good = trial;
                    if (trial == count)
                    {
                        break;
                    }

                    trial = trial * 2 > count ? count : trial * 2;
                }
                else
                {
                    bad = trial;
                    break;
                }
            }

            while (bad - good > 1 && good < count)
            {
                int mid = good + ((bad - good) >> 1);
                if (TryEncode(mid, budgetBytes, tagBytes) > 0)
                {
                    good = mid;
                }
                else
                {
                    bad = mid;
                }
            }

            if (good == 0)
            {
                return 0;
            }

            int length = TryEncode(good, budgetBytes, tagBytes);
            _hmac.Compute(_work, 0, length - tagBytes, _pendingTag, 0);
            Array.Copy(_pendingTag, 0, _work, length - tagBytes, tagBytes);
            Array.Copy(_work, 0, output, outputOffset, length);
            _taken = good;
            _lastLength = length;
            return length;
        }

        /// <summary>Makes the last encoded batch the chain head (call when it is handed to the transport).</summary>
        public void Commit()
        {
            Array.Copy(_pendingTag, 0, _lastTag, 0, BatchFormat.FullTagBytes);
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

        // ---------------------------------------------------------------- one trial

        /// <summary>Encodes the first n readings without the tag; returns the total length with the tag, or 0.</summary>
        private int TryEncode(int n, int budget, int tagBytes)
        {
            if (!AnalyseChannels(n))
            {
                return 0;
            }

            int limit = budget - tagBytes;
            if (limit < 12)
            {
                return 0;
            }

            int p = 0;
            _work[p++] = (byte)((BatchFormat.Version << 4) | (tagBytes / 4 - 1));
            _work[p++] = _hmac.KeyId;
            p = PutVarint(_deviceId, p, limit);
            p = PutVarint(_bootCounter, p, limit);
            p = PutVarint(_sequences[_offset], p, limit);
            p = PutVarint((ulong)n, p, limit);
            if (p < 0 || p + BatchFormat.LinkBytes > limit)
            {
                return 0;
            }

            _work[p++] = _lastTag[0];
            _work[p++] = _lastTag[1];
            long baseTime = _readings[_offset].TimeMs;
            int m = _patternLength;
            int cycles = (n + m - 1) / m;

            // Time, option 0: the schedule plus exceptions where a reading leaves it.
            long period = 0;
            if (n > m)
            {
                period = _readings[_offset + m].TimeMs - baseTime;
                if (period < 0 || period > uint.MaxValue)
                {
                    period = 0;
                }
            }

            _writer.ResetCounting();
            _writer.WriteGamma((ulong)Exceptions(n, baseTime, period, false, false) + 1);
            Exceptions(n, baseTime, period, true, false);
            long costSchedule = _writer.BitCount + 8 * VarintBytes((ulong)period);

            // Time, option 1: a time block of each cycle's offset from a mean period (jittery clocks).
            bool timeBlock = false;
            if (cycles >= 3)
            {
                long span = _readings[_offset + (cycles - 1) * m].TimeMs - baseTime;
                long meanPeriod = span < 0 ? 0 : (span + (cycles - 1) / 2) / (cycles - 1);
                if (meanPeriod <= uint.MaxValue && TimeOffsetsFit(n, baseTime, meanPeriod))
                {
                    _writer.ResetCounting();
                    _writer.WriteGamma((ulong)Exceptions(n, baseTime, meanPeriod, false, true) + 1);
                    Exceptions(n, baseTime, meanPeriod, true, true);
                    _timeBase = baseTime;
                    _timePeriod = meanPeriod;
                    long costBlock = _writer.BitCount + ChooseBlock(-1, n, false) + 8 * VarintBytes((ulong)meanPeriod);
                    if (costBlock < costSchedule)
                    {
                        timeBlock = true;
                        period = meanPeriod;
                    }
                }
            }

            p = PutVarint((ulong)baseTime, p, limit);
            p = PutVarint((ulong)period, p, limit);
            if (p < 0 || p + 2 + _channelCount > limit)
            {
                return 0;
            }

            _work[p++] = (byte)_channelCount;
            for (int c = 0; c < _channelCount; c++)
            {
                _work[p++] = _channels[c];
            }

            _timeBase = baseTime;
            _timePeriod = period;

            // Blocks, option R: Rice codes in the bit stream; option A: a range-coded section after it.
            _writer.ResetCounting();
            _writer.WriteGamma((ulong)Exceptions(n, baseTime, period, false, timeBlock) + 1);
            Exceptions(n, baseTime, period, true, timeBlock);
            int exceptionBytes = _writer.ByteCount;
            if (timeBlock)
            {
                ChooseBlock(-1, n, true);
            }

            for (int c = 0; c < _channelCount; c++)
            {
                ChooseBlock(c, n, true);
            }

            int riceBytes = _writer.ByteCount;
            _range.Reset(null, 0, int.MaxValue);
            if (timeBlock)
            {
                RangeBlock(-1, n, _range);
            }

            for (int c = 0; c < _channelCount; c++)
            {
                RangeBlock(c, n, _range);
            }

            _range.Flush();
            bool ranged = exceptionBytes + _range.ByteCount < riceBytes;
            if (p + (ranged ? exceptionBytes + _range.ByteCount : riceBytes) > limit)
            {
                return 0;
            }

            _work[p++] = (byte)(_patternLength | (timeBlock ? 0x80 : 0) | (ranged ? 0x40 : 0));
            _writer.Reset(_work, p, limit - p);
            int exceptions = Exceptions(n, baseTime, period, false, timeBlock);
            long before = _writer.BitCount;
            _writer.WriteGamma((ulong)exceptions + 1);
            Exceptions(n, baseTime, period, true, timeBlock);
            if (ranged)
            {
                _exceptionBits = _writer.BitCount - before;
                p += _writer.ByteCount;
                _range.Reset(_work, p, limit - p);
                long blockStart = 0;
                if (timeBlock)
                {
                    RangeBlock(-1, n, _range);
                    blockStart = _range.ApproximateBits;
                    _exceptionBits += blockStart;
                }

                for (int c = 0; c < _channelCount; c++)
                {
                    RangeBlock(c, n, _range);
                }

                _range.Flush();
                _blockBits = _range.ByteCount * 8L - blockStart;
                if (_range.Overflow)
                {
                    return 0;
                }

                return p + _range.ByteCount + tagBytes;
            }

            if (timeBlock)
            {
                ChooseBlock(-1, n, true);
            }

            _exceptionBits = _writer.BitCount - before;
            before = _writer.BitCount;
            for (int c = 0; c < _channelCount; c++)
            {
                ChooseBlock(c, n, true);
                if (_writer.Overflow)
                {
                    return 0;
                }
            }

            _blockBits = _writer.BitCount - before;
            if (_writer.Overflow)
            {
                return 0;
            }

            return p + _writer.ByteCount + tagBytes;
        }

        private int PutVarint(ulong value, int p, int limit)
        {
            if (p < 0)
            {
                return p;
            }

            do
            {
                if (p >= limit)
                {
                    return -1;
                }

                byte b = (byte)(value & 0x7F);
                value >>= 7;
                _work[p++] = value != 0 ? (byte)(b | 0x80) : b;
            }
            while (value != 0);
            return p;
        }

        private static int VarintBytes(ulong value)
        {
            int n = 1;
            while (value >= 0x80)
            {
                value >>= 7;
                n++;
            }

            return n;
        }

        /// <summary>True when every cycle's offset from the mean schedule fits the block value range (±2^30 ms).</summary>
        private bool TimeOffsetsFit(int n, long baseTime, long period)
        {
            for (int j = 0; j < n; j += _patternLength)
            {
                long d = _readings[_offset + j].TimeMs - baseTime - (j / _patternLength) * period;
                if (d > (1L << 30) || d < -(1L << 30))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Builds the channel list (pattern first) of the first n readings; false when over 16 channels.</summary>
        private bool AnalyseChannels(int n)
        {
            _channelCount = 0;
            _patternLength = 0;
            bool patternDone = false;
            for (int j = 0; j < n; j++)
            {
                byte ch = (byte)_readings[_offset + j].Channel;
                int index = IndexOfChannel(ch);
                if (index < 0)
                {
                    if (_channelCount == BatchFormat.MaxChannels)
                    {
                        return false;
                    }

                    _channels[_channelCount++] = ch;
                    if (!patternDone)
                    {
                        _patternLength = _channelCount;
                    }
                }
                else
                {
                    patternDone = true;
                }
            }

            return true;
        }

        private int IndexOfChannel(byte ch)
        {
            for (int c = 0; c < _channelCount; c++)
            {
                if (_channels[c] == ch)
                {
                    return c;
                }
            }

            return -1;
        }

        // ---------------------------------------------------------------- exceptions

        /// <summary>Walks the exceptions of the first n readings: counts them, or writes them.</summary>
        private int Exceptions(int n, long baseTime, long period, bool write, bool timeBlock)
        {
            int m = _patternLength;
            int bitsForChannel = BitWriter.BitLength((ulong)(_channelCount - 1));
            long baseCycle = 0;
            int lastIndex = 0;
            int count = 0;
            for (int j = 0; j < n; j++)
            {
                Reading r = _readings[_offset + j];
                if (j > 0)
                {
                    uint gap = _sequences[_offset + j] - _sequences[_offset + j - 1] - 1;
                    if (gap != 0)
                    {
                        count++;
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionGap);
                            _writer.WriteGamma(gap);
                        }
                    }
                }

                long cycle = j / m;
                long expected = baseTime + (cycle - baseCycle) * period;
                if (timeBlock)
                {
                    long cycleTime = _readings[_offset + (int)cycle * m].TimeMs;
                    if (j % m != 0 && r.TimeMs != cycleTime)
                    {
                        count++;
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionTime);
                            _writer.WriteSignedGamma(r.TimeMs - cycleTime);
                        }
                    }
                }
                else if (r.TimeMs != expected)
                {
                    bool rebase = false;
                    long newPeriod = period;
                    if (j % m == 0)
                    {
                        int next = j + m;
                        if (next < n)
                        {
                            long nextTime = _readings[_offset + next].TimeMs;
                            newPeriod = nextTime - r.TimeMs;
                            rebase = nextTime != expected + period && newPeriod >= 0 && newPeriod <= uint.MaxValue;
                        }
                        else
                        {
                            rebase = true;
                        }
                    }

                    count++;
                    if (rebase)
                    {
                        if (write)
                        {
                            Entry(j, ref lastIndex, BatchFormat.ExceptionCadence);
                            _writer.WriteGamma((ulong)newPeriod + 1);
                            _writer.WriteSignedGamma(r.TimeMs - expected);
                        }

                        baseTime = r.TimeMs;
                        baseCycle = cycle;
                        period = newPeriod;
                    }
                    else if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionTime);
                        _writer.WriteSignedGamma(r.TimeMs - expected);
                    }
                }

                if (r.Status != ReadingStatus.Ok)
                {
                    count++;
                    if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionStatus);
                        _writer.Write((ulong)r.Status, 16);
                    }
                }

                byte ch = (byte)r.Channel;
                if (_channels[j % m] != ch)
                {
                    count++;
                    if (write)
                    {
                        Entry(j, ref lastIndex, BatchFormat.ExceptionChannel);
                        _writer.Write((ulong)IndexOfChannel(ch), bitsForChannel);
                    }
                }
            }

            return count;
        }

        private void Entry(int index, ref int lastIndex, int kind)
        {
            _writer.WriteGamma((ulong)(index - lastIndex) + 1);
            _writer.Write((ulong)kind, 3);
            lastIndex = index;
        }

        // ---------------------------------------------------------------- channel blocks

        private int _blockChannel;
        private int _blockReadings;
        private long _timeBase;
        private long _timePeriod;

        /// <summary>True when reading j belongs to the current block (a channel, or −1: the cycle starts of the time block).</summary>
        private bool InBlock(int j)
        {
            if (_blockChannel < 0)
            {
                return j % _patternLength == 0;
            }

            return _readings[_offset + j].Channel == (ChannelId)_channels[_blockChannel];
        }

        /// <summary>The value reading j contributes to the current block.</summary>
        private long BlockValue(int j)
        {
            if (_blockChannel < 0)
            {
                return _readings[_offset + j].TimeMs - _timeBase - (j / _patternLength) * _timePeriod;
            }

            return _readings[_offset + j].Value;
        }

        /// <summary>
        /// Chooses the cheapest predictor, mode and initial parameter for block c (a channel list index, or −1 for
        /// the time block); writes the block when asked. Returns its bits.
        /// </summary>
        private long ChooseBlock(int c, int n, bool write)
        {
            _blockChannel = c;
            _blockReadings = n;
            int count = 0;
            long first = 0;
            long sum = 0;
            for (int j = 0; j < n; j++)
            {
                if (InBlock(j))
                {
                    long v = BlockValue(j);
                    if (count == 0)
                    {
                        first = v;
                    }

                    sum += v;
                    count++;
                }
            }

            if (count == 0)
            {
                return 0;
            }

            long bestBits = long.MaxValue;
            int bestPredictor = 0;
            int bestMode = 0;
            int bestK = 0;
            long bestReference = 0;
            long bestDivisor = 1;
            for (int predictor = 0; predictor < 4; predictor++)
            {
                long reference = 0;
                long divisor;
                if (predictor == BatchFormat.PredictNone)
                {
                    divisor = Divisor(0);
                }
                else
                {
                    divisor = Divisor(first);
                    reference = first;
                    if (predictor == BatchFormat.PredictMean)
                    {
                        reference = first + divisor * RoundDiv(sum - first * count, divisor * count);
                    }
                }

                long headerBits = 3 + 5 + BitWriter.GammaBits((ulong)divisor)
                    + (predictor == BatchFormat.PredictNone ? 0 : BitWriter.GammaBits(BitWriter.ZigZag(reference) + 1));
                long residualSum = Residuals(predictor, 0, 0, reference, divisor, -1);
                int k0 = BatchFormat.RiceParameter(residualSum, count);
                if (k0 > 31)
                {
                    k0 = 31;
                }

                long bits = headerBits + Residuals(predictor, 0, k0, reference, divisor, 0);
                Consider(bits, predictor, 0, k0, reference, divisor, ref bestBits, ref bestPredictor, ref bestMode, ref bestK, ref bestReference, ref bestDivisor);
                for (int k = 0; k <= 8; k += 2)
                {
                    bits = headerBits + Residuals(predictor, 1, k, reference, divisor, 0);
                    Consider(bits, predictor, 1, k, reference, divisor, ref bestBits, ref bestPredictor, ref bestMode, ref bestK, ref bestReference, ref bestDivisor);
                }
            }

            if (!write)
            {
                return bestBits;
            }

            _writer.Write((ulong)bestPredictor, 2);
            _writer.Write((ulong)bestMode, 1);
            if (bestPredictor != BatchFormat.PredictNone)
            {
                _writer.WriteSignedGamma(bestReference);
            }

            _writer.WriteGamma((ulong)bestDivisor);
            _writer.Write((ulong)bestK, 5);
            Residuals(bestPredictor, bestMode, bestK, bestReference, bestDivisor, 1);
            return bestBits;
        }

        /// <summary>Chooses the predictor for block c (−1: time block) by trial range coding, then codes it into <paramref name="rc"/>.</summary>
        private void RangeBlock(int c, int n, RangeEncoder rc)
        {
            _blockChannel = c;
            _blockReadings = n;
            int count = 0;
            long first = 0;
            long sum = 0;
            for (int j = 0; j < n; j++)
            {
                if (InBlock(j))
                {
                    long v = BlockValue(j);
                    if (count == 0)
                    {
                        first = v;
                    }

                    sum += v;
                    count++;
                }
            }

            if (count == 0)
            {
                return;
            }

            long bestBits = long.MaxValue;
            int bestPredictor = 0;
            long bestReference = 0;
            long bestDivisor = 1;
            for (int predictor = 0; predictor < 4; predictor++)
            {
                long reference = 0;
                long divisor = Divisor(predictor == BatchFormat.PredictNone ? 0 : first);
                if (predictor != BatchFormat.PredictNone)
                {
                    reference = predictor == BatchFormat.PredictMean ? first + divisor * RoundDiv(sum - first * count, divisor * count) : first;
                }

                _rangeTrial.Reset(null, 0, int.MaxValue);
                RangeValues(_rangeTrial, predictor, reference, divisor);
                long bits = _rangeTrial.ApproximateBits;
                if (bits < bestBits)
                {
                    bestBits = bits;
                    bestPredictor = predictor;
                    bestReference = reference;
                    bestDivisor = divisor;
                }
            }

            RangeValues(rc, bestPredictor, bestReference, bestDivisor);
        }

        /// <summary>Codes the current block (header fields as direct bits, then the modelled residuals).</summary>
        private void RangeValues(RangeEncoder rc, int predictor, long reference, long divisor)
        {
            rc.EncodeDirect((ulong)predictor, 2);
            if (predictor != BatchFormat.PredictNone)
            {
                DirectGamma(rc, BitWriter.ZigZag(reference) + 1);
            }

            DirectGamma(rc, (ulong)divisor);
            for (int i = 0; i < _models.Length; i++)
            {
                _models[i] = RangeEncoder.ProbabilityHalf;
            }

            long prev = reference;
            long prev2 = reference;
            int index = 0;
            int previousBucket = 0;
            int signContext = 0;
            for (int j = 0; j < _blockReadings; j++)
            {
                if (!InBlock(j))
                {
                    continue;
                }

                long v = BlockValue(j);
                long prediction;
                if (predictor == BatchFormat.PredictNone)
                {
                    prediction = 0;
                }
                else if (predictor == BatchFormat.PredictDelta)
                {
                    prediction = prev;
                }
                else if (predictor == BatchFormat.PredictLinear)
                {
                    prediction = index < 2 ? prev : 2 * prev - prev2;
                }
                else
                {
                    prediction = reference;
                }

                prev2 = prev;
                prev = v;
                index++;
                long r = (v - prediction) / divisor;
                ulong a = (ulong)(r < 0 ? -r : r);
                int b = BitWriter.BitLength(a);
                int unary = BatchFormat.RangeUnaryModels + BatchFormat.RangeBucketContext(previousBucket) * 16;
                for (int i = 0; i < b; i++)
                {
                    rc.EncodeBit(_models, unary + (i < 15 ? i : 15), 1);
                }

                if (b < BatchFormat.RangeMaxBucket)
                {
                    rc.EncodeBit(_models, unary + (b < 15 ? b : 15), 0);
                }

                if (b >= 2)
                {
                    rc.EncodeBit(_models, BatchFormat.RangeMantissaModels + (b < 15 ? b : 15), (int)((a >> (b - 2)) & 1));
                    if (b >= 3)
                    {
                        rc.EncodeDirect(a, b - 2);
                    }
                }

                if (a != 0)
                {
                    rc.EncodeBit(_models, BatchFormat.RangeSignModels + signContext, r < 0 ? 1 : 0);
                    signContext = r < 0 ? 2 : 1;
                }
                else
                {
                    signContext = 0;
                }

                previousBucket = b;
            }
        }

        private static void DirectGamma(RangeEncoder rc, ulong value)
        {
            int length = BitWriter.BitLength(value) - 1;
            rc.EncodeDirect(0, length);
            rc.EncodeDirect(value, length + 1);
        }

        private static void Consider(long bits, int predictor, int mode, int k, long reference, long divisor,
            ref long bestBits, ref int bestPredictor, ref int bestMode, ref int bestK, ref long bestReference, ref long bestDivisor)
        {
            if (bits < bestBits)
            {
                bestBits = bits;
                bestPredictor = predictor;
                bestMode = mode;
                bestK = k;
                bestReference = reference;
                bestDivisor = divisor;
            }
        }

        private static long RoundDiv(long a, long b)
        {
            return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
        }

        /// <summary>Greatest common divisor of |value − origin| over the block (1 when all are equal).</summary>
        private long Divisor(long origin)
        {
            long g = 0;
            for (int j = 0; j < _blockReadings; j++)
            {
                if (InBlock(j))
                {
                    long d = BlockValue(j) - origin;
                    if (d < 0)
                    {
                        d = -d;
                    }

                    while (d != 0)
                    {
                        long t = g % d;
                        g = d;
                        d = t;
                    }

                    if (g == 1)
                    {
                        return 1;
                    }
                }
            }

            return g == 0 ? 1 : g;
        }

        /// <summary>
        /// One pass over the block's residuals. action −1: returns the sum of mapped residuals; 0: returns the bits
        /// of the coded residuals; 1: writes them (and returns the bits).
        /// </summary>
        private long Residuals(int predictor, int mode, int k0, long reference, long divisor, int action)
        {
            long prev = reference;
            long prev2 = reference;
            int index = 0;
            long total = 0;
            long sumA = k0 == 0 ? 0 : (1L << k0);
            int countN = 1;
            long runA = sumA;
            int runN = 1;
            long valueA = 0;
            int valueN = 1;
            long run = 0;
            for (int j = 0; j < _blockReadings; j++)
            {
                if (!InBlock(j))
                {
                    continue;
                }

                long v = BlockValue(j);
                long prediction;
                if (predictor == BatchFormat.PredictNone)
                {
                    prediction = 0;
                }
                else if (predictor == BatchFormat.PredictDelta)
                {
                    prediction = prev;
                }
                else if (predictor == BatchFormat.PredictLinear)
                {
                    prediction = index < 2 ? prev : 2 * prev - prev2;
                }
                else
                {
                    prediction = reference;
                }

                prev2 = prev;
                prev = v;
                index++;
                ulong x = BitWriter.ZigZag((v - prediction) / divisor);
                if (action < 0)
                {
                    total += (long)x;
                    continue;
                }

                if (mode == 0)
                {
                    int k = BatchFormat.RiceParameter(sumA, countN);
                    total += BitWriter.RiceBits(x, k);
                    if (action > 0)
                    {
                        _writer.WriteRice(x, k);
                    }

                    Adapt(ref sumA, ref countN, x);
                }
                else if (x == 0)
                {
                    run++;
                }
                else
                {
                    int kr = BatchFormat.RiceParameter(runA, runN);
                    int kv = BatchFormat.RiceParameter(valueA, valueN);
                    total += BitWriter.RiceBits((ulong)run, kr) + BitWriter.RiceBits(x - 1, kv);
                    if (action > 0)
                    {
                        _writer.WriteRice((ulong)run, kr);
                        _writer.WriteRice(x - 1, kv);
                    }

                    Adapt(ref runA, ref runN, (ulong)run);
                    Adapt(ref valueA, ref valueN, x - 1);
                    run = 0;
                }
            }

            if (action >= 0 && mode == 1 && run > 0)
            {
                int kr = BatchFormat.RiceParameter(runA, runN);
                total += BitWriter.RiceBits((ulong)run, kr);
                if (action > 0)
                {
                    _writer.WriteRice((ulong)run, kr);
                }
            }

            return total;
        }

        private static void Adapt(ref long sum, ref int count, ulong x)
        {
            sum += (long)x;
            count++;
            if (count == BatchFormat.AdaptReset)
            {
                sum >>= 1;
                count >>= 1;
            }
        }
    }
}
