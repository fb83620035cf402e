using System;
using Gateway.Core.Sensing;

namespace Gateway.Core.Codec
{
    /// <content>One trial encoding: the version-2 header (Codec/README.md §9.2), the time option and the block mode.</content>
    public sealed partial class BatchEncoder
    {
        /// <summary>Longest a compact batch's base time may be behind <see cref="NowMs"/> (one hour).</summary>
        private const long CompactMaxAgeMs = 3600000;

        /// <summary>Compact sequences: at most this far past the last committed batch.</summary>
        private const uint CompactMaxAhead = 256;

        private bool _compact;
        private int _profile;

        /// <summary>Encodes the first n readings without the tag; returns the total length with the tag, or 0.</summary>
        private int TryEncode(int n, int budget, int tagBytes)
        {
            if (!AnalyseChannels(n))
            {
                return 0;
            }

            int limit = budget - tagBytes;
            _neededBytes = budget + 1;
            if (limit < 4)
            {
                return 0;
            }

            long baseTime = _readings[_offset].TimeMs;
            int m = _patternLength;
            int cycles = (n + m - 1) / m;
            _compact = CompactFits(baseTime);
            for (int j = 0; j < n && _compact; j++)
            {
                // Uptime times need the boot counter, which only the full form carries.
                _compact = (_readings[_offset + j].Status & ReadingStatus.TimeUnknown) == 0;
            }

            _profile = BatchFormat.ProfileOf(_channels, _channelCount, m);

            // Time, option 0: the schedule plus exceptions where a reading leaves it.
            long period = 0;
            bool timeBlock = false;
            if (n > m)
            {
                period = _readings[_offset + m].TimeMs - baseTime;
                if (period < 0 || period > uint.MaxValue)
                {
                    period = 0;
                }

                _writer.ResetCounting();
                _writer.WriteGamma((ulong)Exceptions(n, baseTime, period, false, false) + 1);
                Exceptions(n, baseTime, period, true, false);
                long costSchedule = _writer.BitCount + DeltaBits((ulong)period);

                // Time, option 1: a time block of each cycle's offset from a mean period (jittery clocks).
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
                        long costBlock = _writer.BitCount + ChooseBlock(-1, n, false) + DeltaBits((ulong)meanPeriod);
                        if (costBlock < costSchedule)
                        {
                            timeBlock = true;
                            period = meanPeriod;
                        }
                    }
                }
            }

            _timeBase = baseTime;
            _timePeriod = period;

            // Blocks, option R: Rice codes in the bit stream; option A (several cycles): a range-coded section after it.
            _writer.ResetCounting();
            WriteHeader(n, baseTime, period, timeBlock, false);
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
            bool ranged = false;
            if (n > m)
            {
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
                ranged = exceptionBytes + _range.ByteCount < riceBytes;
            }

            int body = 1 + (ranged ? exceptionBytes + _range.ByteCount : riceBytes);
            _neededBytes = body + tagBytes;
            if (body > limit)
            {
                return 0;
            }

            int p = ContextBytes;
            _work[p++] = (byte)((BatchFormat.Version << 4) | (tagBytes / 4 - 1));
            int end = ContextBytes + limit;
            _writer.Reset(_work, p, end - p);
            WriteHeader(n, baseTime, period, timeBlock, ranged);
            _headerBits = _writer.BitCount;
            int exceptions = Exceptions(n, baseTime, period, false, timeBlock);
            long before = _writer.BitCount;
            _writer.WriteGamma((ulong)exceptions + 1);
            Exceptions(n, baseTime, period, true, timeBlock);
            if (ranged)
            {
                _exceptionBits = _writer.BitCount - before;
                p += _writer.ByteCount;
                _range.Reset(_work, p, end - p);
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

                return p - ContextBytes + _range.ByteCount + tagBytes;
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

            return p - ContextBytes + _writer.ByteCount + tagBytes;
        }

        /// <summary>Writes the header fields after byte 0 (§9.2) into the bit writer.</summary>
        private void WriteHeader(int n, long baseTime, long period, bool timeBlock, bool ranged)
        {
            // Key id: one bit for key 1 (the first provisioned key), else the bit 0 and 8 bits.
            if (_hmac.KeyId == 1)
            {
                _writer.Write(1, 1);
            }
            else
            {
                _writer.Write(0, 1);
                _writer.Write(_hmac.KeyId, 8);
            }

            uint first = _sequences[_offset];
            _writer.Write(_compact ? 1UL : 0UL, 1);
            if (_compact)
            {
                _writer.Write(first & (BatchFormat.CompactSequenceModulus - 1), BatchFormat.CompactSequenceBits);
                _writer.Write((ulong)(baseTime / 1000) & (BatchFormat.CompactTimeModulus - 1), BatchFormat.CompactTimeBits);
                _writer.WriteGamma((ulong)(baseTime % 1000) + 1);
            }
            else
            {
                WriteDelta(first);
                WriteDelta((ulong)baseTime);
                WriteDelta(_bootCounter);
            }

            _writer.Write((ulong)((_lastTag[0] << 8) | _lastTag[1]), 16);
            if (_profile > 0)
            {
                _writer.Write(1, 1);
                _writer.WriteGamma((ulong)_profile);
            }
            else
            {
                _writer.Write(0, 1);
                _writer.Write((ulong)(_channelCount - 1), 4);
                for (int c = 0; c < _channelCount; c++)
                {
                    _writer.Write(_channels[c], 8);
                }

                _writer.Write((ulong)(_patternLength - 1), 4);
            }

            _writer.WriteSignedGamma(n - _patternLength);
            if (n > _patternLength)
            {
                WriteDelta((ulong)period);
                _writer.Write(timeBlock ? 1UL : 0UL, 1);
                _writer.Write(ranged ? 1UL : 0UL, 1);
            }
        }

        /// <summary>True when the receiver will most likely recover a compact sequence and time (§9.3).</summary>
        private bool CompactFits(long baseTime)
        {
            if (!ReceiverInSync || _lastTag[ChainStateLength - 1] != ChainMarker || NowMs <= 0 || baseTime <= 0)
            {
                return false;
            }

            if ((_readings[_offset].Status & ReadingStatus.TimeUnknown) != 0)
            {
                return false;
            }

            uint next = (uint)(_lastTag[16] | (_lastTag[17] << 8) | (_lastTag[18] << 16) | (_lastTag[19] << 24));
            uint first = _sequences[_offset];
            if (first < next || first - next >= CompactMaxAhead)
            {
                return false;
            }

            long age = NowMs - baseTime;
            return age >= 0 && age <= CompactMaxAgeMs;
        }

        /// <summary>Puts the tag's context (device id, first sequence, base time; all little-endian) before the batch.</summary>
        private void PutContext()
        {
            uint first = _sequences[_offset];
            long time = _readings[_offset].TimeMs;
            for (int i = 0; i < 4; i++)
            {
                _work[i] = (byte)(_deviceId >> (8 * i));
                _work[4 + i] = (byte)(first >> (8 * i));
            }

            for (int i = 0; i < 8; i++)
            {
                _work[8 + i] = (byte)(time >> (8 * i));
            }
        }

        /// <summary>Elias delta style code of x ≥ 0: gamma(L + 1), L = bit length, then the L − 1 bits below the top.</summary>
        private void WriteDelta(ulong x)
        {
            int length = BitWriter.BitLength(x);
            _writer.WriteGamma((ulong)length + 1);
            if (length > 1)
            {
                _writer.Write(x, length - 1);
            }
        }

        private static int DeltaBits(ulong x)
        {
            int length = BitWriter.BitLength(x);
            return BitWriter.GammaBits((ulong)length + 1) + (length > 1 ? length - 1 : 0);
        }
    }
}
