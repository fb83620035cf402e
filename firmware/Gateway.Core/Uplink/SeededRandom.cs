namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Small, fast, portable pseudo-random source (SplitMix64 output function over a 64-bit counter): the same seed
    /// gives the same sequence on the device and on the host. Not for cryptography.
    /// </summary>
    public sealed class SeededRandom : IRandomSource
    {
        private ulong _state;

        /// <summary>Creates a source from a seed (any value, including 0).</summary>
        public SeededRandom(ulong seed)
        {
            _state = seed;
        }

        /// <inheritdoc />
        public uint NextUInt32()
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (uint)(z >> 32);
        }

        /// <summary>Uniform integer in 0..<paramref name="maxInclusive"/> (0..2^32-1) from <paramref name="source"/>, without modulo bias worth noting.</summary>
        public static long NextInclusive(IRandomSource source, long maxInclusive)
        {
            if (maxInclusive <= 0)
            {
                return 0;
            }

            if (maxInclusive >= 0xFFFFFFFFL)
            {
                return source.NextUInt32();
            }

            // Lemire's multiply-shift: floor(r * (max + 1) / 2^32).
            ulong r = source.NextUInt32();
            return (long)((r * (ulong)(maxInclusive + 1)) >> 32);
        }
    }
}
