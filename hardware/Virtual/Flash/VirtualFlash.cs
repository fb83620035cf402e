using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Core.Storage;

namespace Gateway.Virtual.Flash;

/// <summary>
/// Host flash behind <see cref="IFlashStore"/> that models littlefs file semantics under power loss, deterministically
/// from a seed: a cut at any write boundary (an Append, Replace or Delete call), optionally part-way through the
/// write (torn: <see cref="PowerCutModel"/>), optional bit errors on read, and wear counters (writes, bytes,
/// estimated block erases with littlefs copy-on-write).
/// </summary>
/// <remarks>
/// Erase model (littlefs, block size B): an append of n bytes to a file of length L re-programs the tail block by
/// copy-on-write and any new blocks, i.e. floor((L+n−1)/B) − floor(L/B) + 1 erases; a replace erases ceil(n/B)
/// blocks; every call also commits to a metadata pair, counted as 2 × 64/B of an erase (a ~64-byte commit into a
/// pair that is compacted when full).
/// </remarks>
public sealed class VirtualFlash : IFlashStore
{
    /// <summary>A file's bytes with spare capacity; recycled through a pool so steady-state writes allocate nothing.</summary>
    private sealed class FileData
    {
        public byte[] Data = new byte[256];
        public int Length;

        public void Add(byte[] src, int offset, int count)
        {
            if (Length + count > Data.Length)
            {
                Array.Resize(ref Data, Math.Max(Data.Length * 2, Length + count));
            }

            Buffer.BlockCopy(src, offset, Data, Length, count);
            Length += count;
        }

        public void Add(byte b)
        {
            if (Length == Data.Length)
            {
                Array.Resize(ref Data, Data.Length * 2);
            }

            Data[Length++] = b;
        }
    }

    private readonly Dictionary<uint, FileData> _files = new();
    private readonly Stack<FileData> _pool = new();
    private int _usedLogBytes;
    private readonly Random _random;
    private int _cutCountdown;
    private bool _cutTorn;
    private int _cutKeep = -1;
    private byte[]? _cutTail;

    public VirtualFlash(int seed, int blockSize = 4096, PowerCutModel model = PowerCutModel.LittleFs)
    {
        _random = new Random(seed);
        BlockSize = blockSize;
        Model = model;
    }

    /// <inheritdoc />
    public int BlockSize { get; }

    /// <summary>What a torn write leaves.</summary>
    public PowerCutModel Model { get; set; }

    /// <summary>Probability that each byte read comes back with one bit flipped (transient; the stored data is intact).</summary>
    public double ReadBitErrorRate { get; set; }

    /// <summary>True after a cut until <see cref="PowerOn"/>.</summary>
    public bool IsDead { get; private set; }

    /// <summary>Write calls (Append, Replace, Delete) completed or cut.</summary>
    public long WriteOps { get; private set; }

    /// <summary>Bytes read (a wake's recovery cost is the difference across an <c>Open</c>).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Bytes programmed.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Estimated block erases (see remarks).</summary>
    public double Erases { get; private set; }

    /// <summary>Power cuts so far.</summary>
    public int Cuts { get; private set; }

    /// <summary>Torn writes so far.</summary>
    public int TornWrites { get; private set; }

    /// <summary>Highest <see cref="UsedBytes"/> of log files (ids below 0x80000000) seen after any write.</summary>
    public int HighWaterLogBytes { get; private set; }

    /// <summary>
    /// Arms a cut: the <paramref name="writesFromNow"/>-th write from now (1 = the next) fails; with
    /// <paramref name="torn"/> it is interrupted part-way, otherwise the cut falls just before it.
    /// </summary>
    public void ArmCut(int writesFromNow, bool torn)
    {
        if (writesFromNow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(writesFromNow));
        }

        _cutCountdown = writesFromNow;
        _cutTorn = torn;
        _cutKeep = -1;
        _cutTail = null;
    }

    /// <summary>
    /// Arms a torn cut at an exact byte (<see cref="PowerCutModel.RawAppend"/>): the <paramref name="writesFromNow"/>-th
    /// write keeps its first <paramref name="keepBytes"/> bytes, followed by <paramref name="tail"/> (what the
    /// interrupted program left: nothing, erased 0xFF bytes, garbage).
    /// </summary>
    public void ArmCutAtByte(int writesFromNow, int keepBytes, byte[] tail)
    {
        ArmCut(writesFromNow, torn: true);
        _cutKeep = keepBytes;
        _cutTail = tail;
    }

    /// <summary>Disarms a pending cut.</summary>
    public void Disarm()
    {
        _cutCountdown = 0;
        _cutKeep = -1;
    }

    /// <summary>Power returns: the flash works again (its content is what the cut left).</summary>
    public void PowerOn()
    {
        IsDead = false;
        _cutCountdown = 0;
    }

    /// <summary>Flash the files occupy in whole blocks; <paramref name="logOnly"/> leaves out durable-state files.</summary>
    public int UsedBytes(bool logOnly = true) =>
        logOnly ? _usedLogBytes : _files.Sum(f => Rounded(f.Value.Length));

    /// <summary>Ids of the files present.</summary>
    public IReadOnlyCollection<uint> FileIds => _files.Keys.OrderBy(k => k).ToArray();

    /// <summary>A copy of a file's bytes (tests).</summary>
    public byte[] GetRaw(uint id) => _files[id].Data.AsSpan(0, _files[id].Length).ToArray();

    /// <summary>Sets a file's bytes directly, bypassing power cuts and counters (bad-input tests).</summary>
    public void SetRaw(uint id, byte[] data)
    {
        Remove(id);
        var f = Create(id);
        f.Add(data, 0, data.Length);
        Account(id, 0, f.Length);
    }

    /// <summary>A deep copy of the whole flash (content and model), for replaying from one state many times.</summary>
    public VirtualFlash Clone(int seed)
    {
        var copy = new VirtualFlash(seed, BlockSize, Model) { ReadBitErrorRate = ReadBitErrorRate };
        foreach (var f in _files)
        {
            copy.SetRaw(f.Key, f.Value.Data.AsSpan(0, f.Value.Length).ToArray());
        }

        return copy;
    }

    /// <inheritdoc />
    public int List(uint[] ids)
    {
        Alive();
        int i = 0;
        foreach (var id in _files.Keys)
        {
            if (i < ids.Length)
            {
                ids[i] = id;
            }

            i++;
        }

        return i;
    }

    /// <inheritdoc />
    public int Length(uint id)
    {
        Alive();
        return _files.TryGetValue(id, out var f) ? f.Length : -1;
    }

    /// <inheritdoc />
    public int Read(uint id, int position, byte[] buffer, int offset, int count)
    {
        Alive();
        if (!_files.TryGetValue(id, out var f) || position >= f.Length)
        {
            return 0;
        }

        int n = Math.Min(count, f.Length - position);
        Buffer.BlockCopy(f.Data, position, buffer, offset, n);
        BytesRead += n;
        if (ReadBitErrorRate > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (_random.NextDouble() < ReadBitErrorRate)
                {
                    buffer[offset + i] ^= (byte)(1 << _random.Next(8));
                }
            }
        }

        return n;
    }

    /// <inheritdoc />
    public void Append(uint id, byte[] data, int offset, int count)
    {
        Alive();
        _files.TryGetValue(id, out var f);
        int before = f?.Length ?? 0;
        if (Cut())
        {
            if (_cutTorn && Model == PowerCutModel.RawAppend)
            {
                f ??= Create(id);
                Torn(f, data, offset, count);
                Account(id, before, f.Length);
            }

            throw Dead();
        }

        f ??= Create(id);
        f.Add(data, offset, count);
        Account(id, before, f.Length);
        BytesWritten += count;
        Erases += (before + count - 1) / BlockSize - before / BlockSize + 1 + Meta;
    }

    /// <inheritdoc />
    public void Replace(uint id, byte[] data, int offset, int count)
    {
        Alive();
        int before = Length(id);
        if (Cut())
        {
            if (_cutTorn && Model == PowerCutModel.RawAppend)
            {
                Remove(id);
                var t = Create(id);
                Torn(t, data, offset, count);
                Account(id, 0, t.Length);
            }

            throw Dead();
        }

        Remove(id);
        var g = Create(id);
        g.Add(data, offset, count);
        Account(id, 0, count);
        BytesWritten += count;
        Erases += Math.Max(1, (count + BlockSize - 1) / BlockSize) + Meta;
    }

    /// <inheritdoc />
    public void Delete(uint id)
    {
        Alive();
        if (Cut())
        {
            throw Dead();
        }

        Remove(id);
        Erases += Meta;
    }

    private FileData Create(uint id)
    {
        var f = _pool.Count > 0 ? _pool.Pop() : new FileData();
        f.Length = 0;
        _files[id] = f;
        return f;
    }

    private void Remove(uint id)
    {
        if (_files.Remove(id, out var f))
        {
            Account(id, f.Length, 0);
            _pool.Push(f);
        }
    }

    private int Rounded(int bytes) => (bytes + BlockSize - 1) / BlockSize * BlockSize;

    private void Account(uint id, int before, int after)
    {
        if (id >= 0x80000000)
        {
            return;
        }

        _usedLogBytes += Rounded(after) - Rounded(before);
        if (_usedLogBytes > HighWaterLogBytes)
        {
            HighWaterLogBytes = _usedLogBytes;
        }
    }

    private double Meta => 2.0 * 64 / BlockSize;

    private void Torn(FileData f, byte[] data, int offset, int count)
    {
        TornWrites++;
        if (_cutKeep >= 0)
        {
            f.Add(data, offset, Math.Min(_cutKeep, count));
            f.Add(_cutTail!, 0, _cutTail!.Length);
            return;
        }

        int keep = _random.Next(count);
        f.Add(data, offset, keep);

        int garbage = _random.Next(0, 9);
        for (int i = 0; i < garbage; i++)
        {
            f.Add((byte)_random.Next(256));
        }
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

    private PowerCutException Dead() => new("power cut");

    private void Alive()
    {
        if (IsDead)
        {
            throw new PowerCutException("power is off");
        }
    }
}
