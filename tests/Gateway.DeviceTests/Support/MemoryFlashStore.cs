using System;
using System.Collections;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// An <see cref="IFlashStore"/> in RAM for the device tests (no virtual hardware on the board), with power cuts as
    /// hardware/Virtual/Flash/VirtualFlash.cs models them: <see cref="ArmCut"/> makes the n-th write from now fail;
    /// a clean cut falls just before the write (littlefs: the file keeps its last committed state), a torn cut leaves
    /// part of the new bytes and a few bytes of garbage (a raw medium: an append's tail, or a replaced file's prefix).
    /// Until <see cref="PowerOn"/> every call throws <see cref="PowerCutException"/>. Deterministic from its seed.
    /// </summary>
    public sealed class MemoryFlashStore : IFlashStore
    {
        private readonly Hashtable _files = new Hashtable();
        private readonly SeededRandom _random;
        private int _cutCountdown;
        private bool _cutTorn;

        /// <summary>Calls that changed a file (append, replace, delete).</summary>
        public int Writes;

        /// <summary>Creates an empty store with a fixed seed.</summary>
        public MemoryFlashStore()
            : this(1)
        {
        }

        /// <summary>Creates an empty store whose torn writes follow <paramref name="seed"/>.</summary>
        public MemoryFlashStore(int seed)
        {
            _random = new SeededRandom((ulong)seed + 1);
        }

        /// <summary>True after a cut until <see cref="PowerOn"/>.</summary>
        public bool IsDead { get; private set; }

        /// <summary>True while a cut is armed and has not fallen yet.</summary>
        public bool Armed
        {
            get { return _cutCountdown > 0; }
        }

        /// <summary>Power cuts so far.</summary>
        public int Cuts { get; private set; }

        /// <summary>Cuts that left a torn write.</summary>
        public int TornWrites { get; private set; }

        /// <summary>Write calls attempted (completed or cut).</summary>
        public int WriteOps { get; private set; }

        /// <summary>Bytes held by all files (the RAM this store costs, without spare capacity).</summary>
        public int UsedBytes
        {
            get
            {
                int sum = 0;
                foreach (object key in _files.Keys)
                {
                    sum += ((File)_files[key]).Length;
                }

                return sum;
            }
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 4096; }
        }

        /// <summary>
        /// Arms a cut: the <paramref name="writesFromNow"/>-th write from now (1 = the next) fails; with
        /// <paramref name="torn"/> it is interrupted part-way, otherwise it is lost whole.
        /// </summary>
        public void ArmCut(int writesFromNow, bool torn)
        {
            if (writesFromNow < 1)
            {
                throw new ArgumentOutOfRangeException("writesFromNow");
            }

            _cutCountdown = writesFromNow;
            _cutTorn = torn;
        }

        /// <summary>Disarms a pending cut.</summary>
        public void Disarm()
        {
            _cutCountdown = 0;
        }

        /// <summary>Power returns: the store works again with what the cut left.</summary>
        public void PowerOn()
        {
            IsDead = false;
            _cutCountdown = 0;
        }

        /// <inheritdoc />
        public int List(uint[] ids)
        {
            Alive();
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
            Alive();
            File f = (File)_files[id];
            return f == null ? -1 : f.Length;
        }

        /// <inheritdoc />
        public int Read(uint id, int position, byte[] buffer, int offset, int count)
        {
            Alive();
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
            Alive();
            File f = (File)_files[id];
            if (Cut())
            {
                if (_cutTorn)
                {
                    if (f == null)
                    {
                        f = new File();
                        _files[id] = f;
                    }

                    Torn(f, data, offset, count);
                }

                throw new PowerCutException("power cut during append");
            }

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
            Alive();
            if (Cut())
            {
                if (_cutTorn)
                {
                    File t = new File();
                    Torn(t, data, offset, count);
                    _files[id] = t;
                }

                throw new PowerCutException("power cut during replace");
            }

            File f = new File();
            f.Add(data, offset, count);
            _files[id] = f;
            Writes++;
        }

        /// <inheritdoc />
        public void Delete(uint id)
        {
            Alive();
            if (Cut())
            {
                throw new PowerCutException("power cut during delete");
            }

            _files.Remove(id);
            Writes++;
        }

        private bool Cut()
        {
            WriteOps++;
            if (_cutCountdown > 0 && --_cutCountdown == 0)
            {
                IsDead = true;
                Cuts++;
                return true;
            }

            return false;
        }

        private void Torn(File f, byte[] data, int offset, int count)
        {
            TornWrites++;
            int keep = count == 0 ? 0 : (int)(_random.NextUInt32() % (uint)count);
            f.Add(data, offset, keep);
            int garbage = (int)(_random.NextUInt32() % 9);
            byte[] one = new byte[1];
            for (int i = 0; i < garbage; i++)
            {
                one[0] = (byte)_random.NextUInt32();
                f.Add(one, 0, 1);
            }
        }

        private void Alive()
        {
            if (IsDead)
            {
                throw new PowerCutException("power is off");
            }
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
