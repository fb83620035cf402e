namespace Gateway.Core.Codec
{
    /// <summary>Constants of the batch wire format, versions 1 and 2 (see Codec/README.md).</summary>
    public static class BatchFormat
    {
        /// <summary>The format version the device emits, carried in the high nibble of byte 0.</summary>
        public const int Version = 2;

        /// <summary>The previous version, still decoded by the cloud and decoder.js.</summary>
        public const int Version1 = 1;

        /// <summary>Compact form: bits of the first sequence carried (its residue modulo 2^bits).</summary>
        public const int CompactSequenceBits = 10;

        /// <summary>Compact form: 2^<see cref="CompactSequenceBits"/>.</summary>
        public const uint CompactSequenceModulus = 1024;

        /// <summary>Compact form: bits of the base time's whole seconds carried.</summary>
        public const int CompactTimeBits = 14;

        /// <summary>Compact form: 2^<see cref="CompactTimeBits"/>.</summary>
        public const long CompactTimeModulus = 16384;

        /// <summary>Compact form: how far past the arrival time (s) a base time may be (device clock ahead).</summary>
        public const long CompactTimeAheadSeconds = 600;

        private static readonly byte[] Profile1 = new byte[] { 2, 4, 5, 6, 8 };
        private static readonly byte[] Profile2 = new byte[] { 2 };
        private static readonly byte[] Profile3 = new byte[] { 2, 30 };
        private static readonly byte[] Profile4 = new byte[] { 3, 8 };

        /// <summary>Channel list of a channel profile (§9.2), or null for an unknown id.</summary>
        public static byte[] ProfileChannels(int profile)
        {
            switch (profile)
            {
                case 1:
                    return Profile1;
                case 2:
                    return Profile2;
                case 3:
                    return Profile3;
                case 4:
                    return Profile4;
                default:
                    return null;
            }
        }

        /// <summary>Pattern length of a channel profile.</summary>
        public static int ProfilePattern(int profile)
        {
            return profile == 1 ? 5 : profile == 4 ? 2 : 1;
        }

        /// <summary>The profile whose channel list and pattern are exactly these, or 0.</summary>
        public static int ProfileOf(byte[] channels, int count, int patternLength)
        {
            for (int profile = 1; profile <= 4; profile++)
            {
                byte[] list = ProfileChannels(profile);
                if (list.Length != count || ProfilePattern(profile) != patternLength)
                {
                    continue;
                }

                bool same = true;
                for (int i = 0; i < count && same; i++)
                {
                    same = list[i] == channels[i];
                }

                if (same)
                {
                    return profile;
                }
            }

            return 0;
        }

        /// <summary>Exp-Golomb order of a one-value block (§9.2), from the channel's usual magnitude.</summary>
        public static int FirstValueOrder(int channel)
        {
            switch (channel)
            {
                case 1:
                case 2:
                case 3:
                    return 10;
                case 4:
                    return 13;
                case 5:
                case 6:
                    return 8;
                case 7:
                    return 15;
                case 8:
                case 9:
                    return 12;
                case 10:
                    return 17;
                case 30:
                    return 20;
                case 31:
                    return 3;
                default:
                    return 8;
            }
        }

        /// <summary>Rice quotient from which the escape (6-bit length, then the raw value) is used.</summary>
        public const int RiceEscapeQuotient = 20;

        /// <summary>Most channels one batch can carry.</summary>
        public const int MaxChannels = 16;

        /// <summary>Bytes of the chain link (a prefix of the previous batch's tag) in the header.</summary>
        public const int LinkBytes = 2;

        /// <summary>Full HMAC-SHA256 tag length.</summary>
        public const int FullTagBytes = 32;

        /// <summary>Shortest tag allowed (64 bits, for LoRaWAN).</summary>
        public const int MinTagBytes = 8;

        /// <summary>Tag length for cellular and Wi-Fi batches (128 bits).</summary>
        public const int CellularTagBytes = 16;

        /// <summary>Rice state halves when its count reaches this value.</summary>
        public const int AdaptReset = 32;

        /// <summary>Exception kind: quality flags of one reading.</summary>
        public const int ExceptionStatus = 0;

        /// <summary>Exception kind: sequences skipped before a reading.</summary>
        public const int ExceptionGap = 1;

        /// <summary>Exception kind: one reading off the schedule.</summary>
        public const int ExceptionTime = 2;

        /// <summary>Exception kind: the schedule is re-based with a new period.</summary>
        public const int ExceptionCadence = 3;

        /// <summary>Exception kind: a reading of another channel than the pattern's.</summary>
        public const int ExceptionChannel = 4;

        /// <summary>Predictor: none (prediction 0).</summary>
        public const int PredictNone = 0;

        /// <summary>Predictor: the previous value.</summary>
        public const int PredictDelta = 1;

        /// <summary>Predictor: linear extrapolation of the two previous values (second difference).</summary>
        public const int PredictLinear = 2;

        /// <summary>Predictor: the block mean.</summary>
        public const int PredictMean = 3;

        /// <summary>Range-coded blocks: index of the first unary bucket model (4 contexts × 16).</summary>
        public const int RangeUnaryModels = 0;

        /// <summary>Range-coded blocks: index of the first mantissa model (16, by bucket).</summary>
        public const int RangeMantissaModels = 64;

        /// <summary>Range-coded blocks: index of the first sign model (3, by the previous residual's sign).</summary>
        public const int RangeSignModels = 80;

        /// <summary>Range-coded blocks: number of adaptive models.</summary>
        public const int RangeModelCount = 83;

        /// <summary>Range-coded blocks: buckets (bit lengths of |residual|) run 0..35; 36 needs no terminator.</summary>
        public const int RangeMaxBucket = 36;

        /// <summary>Context of the unary bucket models from the previous residual's bucket.</summary>
        public static int RangeBucketContext(int previousBucket)
        {
            if (previousBucket == 0)
            {
                return 0;
            }

            if (previousBucket <= 2)
            {
                return 1;
            }

            return previousBucket <= 4 ? 2 : 3;
        }

        /// <summary>
        /// The prediction of the value at <paramref name="index"/> in a block from the two values before it
        /// (both <paramref name="reference"/> at the start) and the block's reference.
        /// </summary>
        public static long Predict(int predictor, int index, long previous, long beforePrevious, long reference)
        {
            if (predictor == PredictNone)
            {
                return 0;
            }

            if (predictor == PredictDelta)
            {
                return previous;
            }

            if (predictor == PredictLinear)
            {
                return index < 2 ? previous : 2 * previous - beforePrevious;
            }

            return reference;
        }

        /// <summary>Next Rice parameter of an adaptive state: least k with count·2^k ≥ sum.</summary>
        public static int RiceParameter(long sum, int count)
        {
            int k = 0;
            while (((long)count << k) < sum && k < 60)
            {
                k++;
            }

            return k;
        }
    }
}
