namespace Gateway.Core.Sensing
{
    /// <summary>
    /// A source of readings for one channel: a binding over its bus seam on the device, or a virtual part in the
    /// simulator. Does the I/O and the conversion; the pipeline stamps the time afterwards.
    /// </summary>
    public interface ISensorSource
    {
        /// <summary>The channel this source produces.</summary>
        ChannelId Channel { get; }

        /// <summary>
        /// Measures once and fills <paramref name="reading"/>'s Channel, Value and Status. A failed measurement still
        /// returns true with its quality flag set (a flagged reading is kept, never dropped silently); false only when
        /// the source has nothing to report this cycle (for example, disabled).
        /// </summary>
        bool TrySample(ref Reading reading);
    }
}
