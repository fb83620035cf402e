using System;
using System.Collections;
using Gateway.Control;

namespace Gateway.DeviceTests.Support
{
    /// <summary>In-memory atomic blob store for Control (configuration, provisioning): a write replaces a blob whole; copies in and out.</summary>
    public sealed class MemoryDurableBlobs : IDurableBlobs
    {
        private readonly Hashtable _blobs = new Hashtable();

        /// <summary>Writes so far.</summary>
        public int Writes { get; private set; }

        /// <inheritdoc />
        public bool TryRead(string name, out byte[] data)
        {
            byte[] stored = (byte[])_blobs[name];
            if (stored == null)
            {
                data = null;
                return false;
            }

            data = new byte[stored.Length];
            Array.Copy(stored, data, stored.Length);
            return true;
        }

        /// <inheritdoc />
        public void WriteAtomic(string name, byte[] data)
        {
            byte[] copy = new byte[data.Length];
            Array.Copy(data, copy, data.Length);
            _blobs[name] = copy;
            Writes++;
        }
    }
}
