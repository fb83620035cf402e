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
    private readonly SortedDictionary<uint, List<byte>> _files = new();
    private readonly Random _random;
    private int _cutCountdown;
    private bool _cutTorn;

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
    }

    /// <summary>Disarms a pending cut.</summary>
    public void Disarm() => _cutCountdown = 0;

    /// <summary>Power returns: the flash works again (its content is what the cut left).</summary>
    public void PowerOn()
    {
        IsDead = false;
        _cutCountdown = 0;
    }

    /// <summary>Flash the files occupy in whole blocks; <paramref name="logOnly"/> leaves out durable-state files.</summary>
    public int UsedBytes(bool logOnly = true) =>
        _files.Where(f => !logOnly || f.Key < 0x80000000).Sum(f => (f.Value.Count + BlockSize - 1) / BlockSize * BlockSize);

    /// <summary>Ids of the files present.</summary>
    public IReadOnlyCollection<uint> FileIds => _files.Keys;

    /// <summary>A copy of a file's bytes (tests).</summary>
    public byte[] GetRaw(uint id) => _files[id].ToArray();

    /// <summary>Sets a file's bytes directly, bypassing power cuts and counters (bad-input tests).</summary>
    public void SetRaw(uint id, byte[] data) => _files[id] = new List<byte>(data);

    /// <summary>A deep copy of the whole flash (content and model), for replaying from one state many times.</summary>
    public VirtualFlash Clone(int seed)
    {
        var copy = new VirtualFlash(seed, BlockSize, Model) { ReadBitErrorRate = ReadBitErrorRate };
        foreach (var f in _files)
        {
            copy._files[f.Key] = new List<byte>(f.Value);
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
        return _files.TryGetValue(id, out var f) ? f.Count : -1;
    }

    /// <inheritdoc />
    public int Read(uint id, int position, byte[] buffer, int offset, int count)
    {
        Alive();
        if (!_files.TryGetValue(id, out var f) || position >= f.Count)
        {
            return 0;
        }

        int n = Math.Min(count, f.Count - position);
        f.CopyTo(position, buffer, offset, n);
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
        int before = f?.Count ?? 0;
        if (Cut())
        {
            if (_cutTorn && Model == PowerCutModel.RawAppend)
            {
                f ??= _files[id] = new List<byte>();
                Torn(f, data, offset, count);
            }

            throw Dead();
        }

        f ??= _files[id] = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            f.Add(data[offset + i]);
        }

        BytesWritten += count;
        Erases += (before + count - 1) / BlockSize - before / BlockSize + 1 + Meta;
        Track();
    }

    /// <inheritdoc />
    public void Replace(uint id, byte[] data, int offset, int count)
    {
        Alive();
        if (Cut())
        {
            if (_cutTorn && Model == PowerCutModel.RawAppend)
            {
                var f = _files[id] = new List<byte>();
                Torn(f, data, offset, count);
            }

            throw Dead();
        }

        var g = new List<byte>(count);
        for (int i = 0; i < count; i++)
        {
            g.Add(data[offset + i]);
        }

        _files[id] = g;
        BytesWritten += count;
        Erases += Math.Max(1, (count + BlockSize - 1) / BlockSize) + Meta;
        Track();
    }

    /// <inheritdoc />
    public void Delete(uint id)
    {
        Alive();
        if (Cut())
        {
            throw Dead();
        }

        _files.Remove(id);
        Erases += Meta;
        Track();
    }

    private double Meta => 2.0 * 64 / BlockSize;

    private void Torn(List<byte> f, byte[] data, int offset, int count)
    {
        TornWrites++;
        int keep = _random.Next(count);
        for (int i = 0; i < keep; i++)
        {
            f.Add(data[offset + i]);
        }

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

    private void Track()
    {
        int used = UsedBytes();
        if (used > HighWaterLogBytes)
        {
            HighWaterLogBytes = used;
        }
    }
}
