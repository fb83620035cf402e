namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// One small step of a filter chain. It may change the value, add quality flags, or drop the reading.
    /// Filters never drop a flagged reading: it is kept and sent as flagged.
    /// </summary>
    public interface IReadingFilter
    {
        /// <summary>Applies the step; false drops the reading and stops the chain.</summary>
        bool TryApply(ref Reading reading);
    }
}
