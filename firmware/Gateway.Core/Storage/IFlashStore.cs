namespace Gateway.Core.Storage
{
    /// <summary>
    /// The storage seam, as small as littlefs's lfs_config: files named by a number, rooted at one drive or folder.
    /// Durability is per call: when Append, Replace or Delete returns, the change survives a power cut; a cut during
    /// the call leaves the file as before (littlefs) or, on a harsher medium, with part of the new bytes.
    /// </summary>
    public interface IFlashStore
    {
        /// <summary>Erase block size in bytes (4096 on the ESP32's NOR flash); files occupy whole blocks.</summary>
        int BlockSize { get; }

        /// <summary>Writes the ids of the existing files into <paramref name="ids"/>; returns how many exist (may exceed its length).</summary>
        int List(uint[] ids);

        /// <summary>Length of a file in bytes, or -1 when it does not exist.</summary>
        int Length(uint id);

        /// <summary>Reads up to <paramref name="count"/> bytes from <paramref name="position"/>; returns how many were read.</summary>
        int Read(uint id, int position, byte[] buffer, int offset, int count);

        /// <summary>Appends bytes to a file (created when missing) and commits them (open, write, close).</summary>
        void Append(uint id, byte[] data, int offset, int count);

        /// <summary>Replaces a file's whole content (create or truncate, write, close).</summary>
        void Replace(uint id, byte[] data, int offset, int count);

        /// <summary>Deletes a file; nothing happens when it does not exist.</summary>
        void Delete(uint id);
    }
}
