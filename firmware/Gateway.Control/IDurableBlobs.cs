namespace Gateway.Control
{
    /// <summary>
    /// The persistence Control needs: small named blobs, each replaced atomically (after a power cut at any moment a
    /// read returns either the complete old or the complete new content). The composition root maps it onto the
    /// storage layer's atomic-replace store; tests use an in-memory implementation.
    /// </summary>
    public interface IDurableBlobs
    {
        /// <summary>Reads blob <paramref name="name"/>; false when it does not exist (or cannot be read).</summary>
        bool TryRead(string name, out byte[] data);

        /// <summary>Replaces blob <paramref name="name"/> with <paramref name="data"/>, durably and atomically, before returning.</summary>
        void WriteAtomic(string name, byte[] data);
    }
}
