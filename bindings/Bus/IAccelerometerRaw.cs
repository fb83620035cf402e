namespace Gateway.Bindings.Bus
{
    /// <summary>A 3-axis accelerometer read as raw signed counts per axis (the part's native scale).</summary>
    public interface IAccelerometerRaw
    {
        /// <summary>Reads one sample of the three axes in counts; false on a bus error.</summary>
        bool TryReadCounts(out int x, out int y, out int z);
    }
}
