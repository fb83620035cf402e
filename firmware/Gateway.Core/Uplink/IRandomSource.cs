namespace Gateway.Core.Uplink
{
    /// <summary>
    /// A source of uniformly distributed 32-bit values. The device seeds it from the hardware RNG; tests and the
    /// simulator seed <see cref="SeededRandom"/> so any run replays.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>The next uniformly distributed value, 0..2^32-1.</summary>
        uint NextUInt32();
    }
}
