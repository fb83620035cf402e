using System;
using System.Collections;
using Gateway.Core.Storage;

namespace Gateway.DeviceTests.Support
{
    /// <summary>An <see cref="IFlashStore"/> in RAM for the device smoke tests (no virtual hardware on the board).</summary>
    public sealed class MemoryFlashStore : IFlashStore
    {
        private readonly Hashtable _files = new Hashtable();

        /// <summary>Calls that changed a file (append, replace, delete).</summary>
        public int Writes;

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 4096; }
        }

        /// <inheritdoc />
        public int List(uint[] ids)
        {
            int n = 0;
            foreach (object key in _files.Keys)
            {
                if (n < ids.Length)
                {
                    ids[n] = (uint)key;
                }

                n++;
            }

            return n;
        }

        /// <inheritdoc />
        public int Length(uint id)
        {
            File f = (File)_files[id];
            return f == null ? -1 : f.Length;
        }

        /// <inheritdoc />
        public int Read(uint id, int position, byte[] buffer, int offset, int count)
        {
            File f = (File)_files[id];
            if (f == null || position >= f.Length)
            {
                return 0;
            }

            int n = f.Length - position < count ? f.Length - position : count;
            Array.Copy(f.Data, position, buffer, offset, n);
            return n;
        }

        /// <inheritdoc />
        public void Append(uint id, byte[] data, int offset, int count)
        {
            File f = (File)_files[id];
            if (f == null)
            {
                f = new File();
                _files[id] = f;
            }

            f.Add(data, offset, count);
            Writes++;
        }

        /// <inheritdoc />
        public void Replace(uint id, byte[] data, int offset, int count)
        {
            File f = new File();
            f.Add(data, offset, count);
            _files[id] = f;
            Writes++;
        }

        /// <inheritdoc />
        public void Delete(uint id)
        {
            _files.Remove(id);
            Writes++;
        }

        private sealed class File
        {
            public byte[] Data = new byte[64];
            public int Length;

            public void Add(byte[] src, int offset, int count)
            {
                if (Length + count > Data.Length)
                {
                    int size = Data.Length * 2;
                    while (size < Length + count)
                    {
                        size *= 2;
                    }

                    byte[] bigger = new byte[size];
                    Array.Copy(Data, bigger, Length);
                    Data = bigger;
                }

                Array.Copy(src, offset, Data, Length, count);
                Length += count;
            }
        }
    }
}
