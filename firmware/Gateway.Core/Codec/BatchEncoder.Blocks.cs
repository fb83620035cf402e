using System;
using Gateway.Core.Sensing;

namespace Gateway.Core.Codec
{
    /// <content> Channel blocks: Rice and range-coded, the predictor and parameter choice. </content>
    public sealed partial class BatchEncoder
    {
        private int _blockChannel;
        private int _blockReadings;
        private long _timeBase;
        private long _timePeriod;

        /// <summary>Makes block c (−1: time block) of the first n readings current; returns its size, first value and sum.</summary>
        private int SelectBlock(int c, int n, out long first, out long sum)
        {
            _blockChannel = c;
            _blockReadings = n;
            int count = 0;
            first = 0;
            sum = 0;
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

            return count;
        }

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
            long first;
            long sum;
            int count = SelectBlock(c, n, out first, out sum);

            if (count == 0)
            {
                return 0;
            }

            if (count == 1 && c >= 0)
            {
                // Version 2: a one-value block is the value alone, Exp-Golomb of the channel's order.
                ulong x = BitWriter.ZigZag(first);
                int order = BatchFormat.FirstValueOrder(_channels[c]);
                if (write)
                {
                    _writer.WriteGamma((x >> order) + 1);
                    _writer.Write(x, order);
                }

                return BitWriter.GammaBits((x >> order) + 1) + order;
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
                for (int k = 0; k <= 8 && _zeroResiduals * 4 >= count; k += 2)
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
            long first;
            long sum;
            int count = SelectBlock(c, n, out first, out sum);

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
                long prediction = BatchFormat.Predict(predictor, index, prev, prev2, reference);

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
            if (action < 0)
            {
                _zeroResiduals = 0;
            }

            for (int j = 0; j < _blockReadings; j++)
            {
                if (!InBlock(j))
                {
                    continue;
                }

                long v = BlockValue(j);
                long prediction = BatchFormat.Predict(predictor, index, prev, prev2, reference);

                prev2 = prev;
                prev = v;
                index++;
                ulong x = BitWriter.ZigZag((v - prediction) / divisor);
                if (action < 0)
                {
                    total += (long)x;
                    if (x == 0)
                    {
                        _zeroResiduals++;
                    }

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
