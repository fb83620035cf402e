using System;
using System.IO;
using Gateway.Core.Storage;

namespace Gateway.Hardware.Esp32.Storage
{
    /// <summary>
    /// The storage seam over nanoFramework's System.IO files on a littlefs drive: <c>I:\gw</c> on the internal
    /// config partition, or a folder on a separate data partition or the SD card (<c>D:\gw</c>). One file per id,
    /// named by the id in 8 upper-case hex digits.
    /// </summary>
    /// <remarks>
    /// littlefs makes a file's new content durable only at Close(); an interrupted write leaves the last committed
    /// content, which is exactly the seam's contract. Every call opens and closes a FileStream: one FileStream object
    /// and one path string per flash operation (per commit, not per staged reading). nanoFramework's file API has no
    /// way around it; the log itself allocates nothing.
    /// </remarks>
    public sealed class LittleFsFlashStore : IFlashStore
    {
        private readonly string _folder;
        private readonly int _blockSize;

        /// <summary>Creates the store in <paramref name="folder"/> (created when missing), e.g. <c>I:\gw</c>.</summary>
        public LittleFsFlashStore(string folder, int blockSize)
        {
            _folder = folder;
            _blockSize = blockSize;
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return _blockSize; }
        }

        /// <inheritdoc />
        public int List(uint[] ids)
        {
            string[] files = Directory.GetFiles(_folder);
            int n = 0;
            for (int i = 0; i < files.Length; i++)
            {
                uint id;
                if (TryParseName(Path.GetFileName(files[i]), out id))
                {
                    if (n < ids.Length)
                    {
                        ids[n] = id;
                    }

                    n++;
                }
            }

            return n;
        }

        /// <inheritdoc />
        public int Length(uint id)
        {
            string path = PathOf(id);
            if (!File.Exists(path))
            {
                return -1;
            }

            using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return (int)fs.Length;
            }
        }

        /// <inheritdoc />
        public int Read(uint id, int position, byte[] buffer, int offset, int count)
        {
            string path = PathOf(id);
            if (!File.Exists(path))
            {
                return 0;
            }

            using (FileStream fs = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                if (position >= fs.Length)
                {
                    return 0;
                }

                fs.Seek(position, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int got = fs.Read(buffer, offset + total, count - total);
                    if (got <= 0)
                    {
                        break;
                    }

                    total += got;
                }

                return total;
            }
        }

        /// <inheritdoc />
        public void Append(uint id, byte[] data, int offset, int count)
        {
            using (FileStream fs = new FileStream(PathOf(id), FileMode.Append, FileAccess.Write))
            {
                fs.Write(data, offset, count);
            }
        }

        /// <inheritdoc />
        public void Replace(uint id, byte[] data, int offset, int count)
        {
            using (FileStream fs = new FileStream(PathOf(id), FileMode.Create, FileAccess.Write))
            {
                fs.Write(data, offset, count);
            }
        }

        /// <inheritdoc />
        public void Delete(uint id)
        {
            string path = PathOf(id);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        private string PathOf(uint id)
        {
            return _folder + "\\" + id.ToString("X8");
        }

        private static bool TryParseName(string name, out uint id)
        {
            id = 0;
            if (name == null || name.Length != 8)
            {
                return false;
            }

            for (int i = 0; i < 8; i++)
            {
                char c = name[i];
                int d;
                if (c >= '0' && c <= '9')
                {
                    d = c - '0';
                }
                else if (c >= 'A' && c <= 'F')
                {
                    d = c - 'A' + 10;
                }
                else
                {
                    return false;
                }

                id = (id << 4) | (uint)d;
            }

            return true;
        }
    }
}
