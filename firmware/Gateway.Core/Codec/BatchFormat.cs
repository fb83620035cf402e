namespace Gateway.Core.Codec
{
    /// <summary>Constants of the batch wire format, version 1 (see Codec/README.md).</summary>
    public static class BatchFormat
    {
        /// <summary>The format version carried in the high nibble of byte 0.</summary>
        public const int Version = 1;

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
