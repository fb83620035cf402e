using System;

namespace Gateway.Core.Storage
{
    /// <summary>
    /// Small durable blobs by key (settings, counters, chain tag, uplink session), each written by atomic replace into
    /// one of two alternating slots with a generation and a CRC: a power cut during a write leaves the previous value.
    /// </summary>
    /// <remarks>
    /// Keys 0–15 storage, 16–31 uplink session, 32–47 security, 48–63 control; at most 256 keys, each at most the
    /// size given to the constructor. A write costs one small file replace on flash: keep them rare (not per reading).
    /// </remarks>
    public sealed class DurableState
    {
        /// <summary>File id of slot A of key 0.</summary>
        public const uint FirstFileId = 0x80000000;

        private const int HeaderBytes = 8;
        private readonly IFlashStore _store;
        private readonly byte[] _scratch;
        private readonly int _maxBytes;
        private int _writes;

        /// <summary>Creates the store of blobs of at most <paramref name="maxBytes"/> bytes each.</summary>
        public DurableState(IFlashStore store, int maxBytes)
        {
            _store = store;
            _maxBytes = maxBytes;
            _scratch = new byte[maxBytes + HeaderBytes + 4];
        }

        /// <summary>How many writes this instance made (for health and wear figures).</summary>
        public int Writes
        {
            get { return _writes; }
        }

        /// <summary>RAM this instance holds, in bytes.</summary>
        public int RamBytes
        {
            get { return _scratch.Length + 32; }
        }

        /// <summary>True when a file id belongs to durable state.</summary>
        public static bool IsStateFile(uint id)
        {
            return id >= FirstFileId && id < FirstFileId + 512;
        }

        /// <summary>Loads the newest valid value of a key; false when none survives.</summary>
        public bool TryLoad(int key, byte[] buffer, int offset, out int length)
        {
            uint gen;
            int slot = Newest(key, out gen);
            length = 0;
            if (slot < 0 || ReadSlot(key, slot) < 0)
            {
                return false;
            }

            length = LittleEndian.ReadUInt16(_scratch, 6);
            if (length > buffer.Length - offset)
            {
                length = 0;
                return false;
            }

            Array.Copy(_scratch, HeaderBytes, buffer, offset, length);
            return true;
        }

        /// <summary>Saves a value atomically (durable when this returns).</summary>
        public void Save(int key, byte[] data, int offset, int count)
        {
            if (count > _maxBytes || key < 0 || key > 255)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            uint gen;
            int newest = Newest(key, out gen);
            int target = newest == 0 ? 1 : 0;
            _scratch[0] = 0x44;
            _scratch[1] = 1;
            LittleEndian.WriteUInt32(_scratch, 2, 0);
            uint next = newest < 0 ? 1 : gen + 1;
            _scratch[2] = (byte)next;
            _scratch[3] = (byte)(next >> 8);
            _scratch[4] = (byte)(next >> 16);
            _scratch[5] = (byte)(next >> 24);
            LittleEndian.WriteUInt16(_scratch, 6, count);
            Array.Copy(data, offset, _scratch, HeaderBytes, count);
            LittleEndian.WriteUInt32(_scratch, HeaderBytes + count, Crc32.Compute(_scratch, 0, HeaderBytes + count));
            _writes++;
            _store.Replace(SlotId(key, target), _scratch, 0, HeaderBytes + count + 4);
        }

        /// <summary>Deletes both slots of a key.</summary>
        public void Erase(int key)
        {
            _store.Delete(SlotId(key, 0));
            _store.Delete(SlotId(key, 1));
        }

        private static uint SlotId(int key, int slot)
        {
            return FirstFileId + (uint)(key * 2 + slot);
        }

        private int Newest(int key, out uint gen)
        {
            gen = 0;
            int best = -1;
            for (int slot = 0; slot < 2; slot++)
            {
                if (ReadSlot(key, slot) >= 0)
                {
                    uint g = (uint)(_scratch[2] | (_scratch[3] << 8) | (_scratch[4] << 16) | (_scratch[5] << 24));
                    if (best < 0 || g > gen)
                    {
                        best = slot;
                        gen = g;
                    }
                }
            }

            return best;
        }

        private int ReadSlot(int key, int slot)
        {
            uint id = SlotId(key, slot);
            int len = _store.Length(id);
            if (len < HeaderBytes + 4 || len > _scratch.Length)
            {
                return -1;
            }

            if (_store.Read(id, 0, _scratch, 0, len) != len || _scratch[0] != 0x44 || _scratch[1] != 1)
            {
                return -1;
            }

            int count = LittleEndian.ReadUInt16(_scratch, 6);
            if (HeaderBytes + count + 4 != len || Crc32.Compute(_scratch, 0, HeaderBytes + count) != LittleEndian.ReadUInt32(_scratch, HeaderBytes + count))
            {
                return -1;
            }

            return len;
        }
    }
}
