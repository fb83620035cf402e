using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;

namespace Gateway.Tests.Storage;

/// <summary>
/// Runs a seeded append / acknowledge / reclaim / thin workload against a log on virtual flash, keeps an oracle of
/// what was committed, and checks after every recovery: nothing committed lost, nothing corrupt or phantom returned,
/// no sequence reused or out of order.
/// </summary>
internal sealed class TortureRig
{
    private readonly RecordLogSettings _settings;
    private readonly Random _rng;
    private readonly Dictionary<uint, LogRecord> _all = new();
    private readonly SortedDictionary<uint, LogRecord> _unacked = new();
    private readonly Dictionary<uint, LogRecord> _maybe = new();
    private readonly HashSet<uint> _neverCommitted = new();
    private readonly List<LogRecord> _pending = new();
    private LogRecord? _inflight;
    private long _time = StorageTestKit.T0;
    private int _channel;
    private readonly int[] _value = { 0, 1000, 2000, 3000, 4000 };
    private bool _online = true;
    private int _phase;

    public TortureRig(int seed, RecordLogSettings settings, PowerCutModel model)
    {
        _settings = settings;
        _rng = new Random(seed);
        Flash = new VirtualFlash(seed, settings.SegmentBytes, model);
        Recover();
    }

    public VirtualFlash Flash { get; }

    public RecordLog Log { get; private set; } = null!;

    public uint MaxIssued { get; private set; }

    public int Lost { get; private set; }

    public string LastLoss { get; private set; } = "";

    public int Corrupt { get; private set; }

    public int Reused { get; private set; }

    public int OutOfOrder { get; private set; }

    public long Verified { get; private set; }

    public long Appended { get; private set; }

    public void Recover()
    {
        Log = new RecordLog(Flash, _settings);
        Log.Open();
        var health = new StorageHealth();
        Log.FillHealth(health, 1, 1);
        TornFoundAtRecovery += health.TornAtRecovery;
        if (MaxIssued != 0 && Log.NextSequence <= MaxIssued)
        {
            Reused++;
        }
    }

    /// <summary>Runs workload steps until a power cut; false when <paramref name="maxSteps"/> passed without one.</summary>
    public bool RunUntilCut(int maxSteps)
    {
        try
        {
            for (int i = 0; i < maxSteps; i++)
            {
                Step();
            }

            return false;
        }
        catch (PowerCutException)
        {
            OnCut();
            return true;
        }
    }

    public void Steps(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Step();
        }
    }

    public int Rewrites { get; private set; }

    public long Dropped { get; private set; }

    public int TornFoundAtRecovery { get; private set; }

    public void OnCut()
    {
        var h = new StorageHealth();
        Log.FillHealth(h, 1, 1);
        Rewrites += h.CapacityRewrites;
        Dropped += h.ReadingsDropped;
        foreach (var p in _pending)
        {
            _maybe[p.Sequence] = p;
        }

        if (_inflight is { } f)
        {
            _maybe[f.Sequence] = f;
        }

        _pending.Clear();
        _inflight = null;
    }

    private void Step()
    {
        if (++_phase % (_online ? 1500 : 4000) == 0)
        {
            _online = !_online;
            _phase = 0;
        }

        int op = _rng.Next(100);
        if (op < 80)
        {
            AppendReading();
        }
        else if (op < 84)
        {
            var kind = op < 82 ? RecordKind.Alarm : RecordKind.Event;
            var r = new LogRecord { Sequence = Log.NextSequence, Kind = kind, Channel = ChannelId.WaterLevelMillimeters, TimeMs = _time, Code = (ushort)_rng.Next(1, 500), Value = _rng.Next(-100000, 100000), Span = 1 };
            Issue(ref r);
            uint seq = Log.AppendEvent(kind, r.Channel, r.TimeMs, r.Code, r.Value);
            Check(seq, r.Sequence);
            CommitAll(0);
        }
        else if (op < 94)
        {
            if (_online)
            {
                Acknowledge();
            }
        }
        else if (op < 95)
        {
            var r = new LogRecord { Sequence = Log.NextSequence, Kind = RecordKind.Marker, TimeMs = _time, Code = MarkerCode.PowerFailing, Span = 1 };
            Issue(ref r);
            uint seq = Log.PowerFailing(_time);
            Check(seq, r.Sequence);
            CommitAll(0);
        }
        else if (op < 97)
        {
            Log.Suspend();
            CommitAll(0);
        }
        else
        {
            AppendReading();
        }
    }

    private void AppendReading()
    {
        int ch = 1 + _channel;
        _channel = (_channel + 1) % 4;
        if (_channel == 0)
        {
            _time += 60_000;
        }

        _value[ch] += _rng.Next(-30, 31);
        var status = _rng.Next(50) == 0 ? ReadingStatus.Noisy : ReadingStatus.Ok;
        var reading = new Reading((ChannelId)ch, _time, _value[ch], status);
        var r = new LogRecord { Sequence = Log.NextSequence, Kind = RecordKind.Reading, Channel = reading.Channel, TimeMs = _time, Value = reading.Value, Status = status, Span = 1 };
        Issue(ref r);
        uint seq = Log.Append(ref reading);
        Check(seq, r.Sequence);
        _pending.Add(r);
        _inflight = null;
        CommitAll(Log.StagedReadings);
    }

    private void Acknowledge()
    {
        if (_rng.Next(4) == 0 && Log.TryReadNextUnacknowledged(0, true, out var alarm))
        {
            Ack(alarm.Sequence, alarm.Sequence);
            return;
        }

        if (Log.TryGetOldestUnacknowledged(out uint oldest))
        {
            uint last = oldest + (uint)_rng.Next(1, 60);
            Ack(oldest, last);
        }
    }

    private void Ack(uint first, uint last)
    {
        // Absence becomes allowed as soon as the call starts (it may be durable even if cut).
        var keys = new List<uint>();
        foreach (var k in _unacked.Keys)
        {
            if (k > last)
            {
                break;
            }

            if (k >= first)
            {
                keys.Add(k);
            }
        }

        foreach (var k in keys)
        {
            _unacked.Remove(k);
        }

        Log.Acknowledge(first, last);
    }

    private void Issue(ref LogRecord r)
    {
        _inflight = r;
        Appended++;
    }

    private void Check(uint got, uint expected)
    {
        if (got != expected)
        {
            throw new InvalidOperationException($"sequence {got} handed out, {expected} expected");
        }

        // Handed out: this number must never be handed out again.
        MaxIssued = Math.Max(MaxIssued, got);
    }

    /// <summary>Everything pending except the last <paramref name="stillStaged"/> is now committed.</summary>
    private void CommitAll(int stillStaged)
    {
        if (_inflight is { } f)
        {
            _pending.Add(f);
            _inflight = null;
        }

        int n = _pending.Count - stillStaged;
        for (int i = 0; i < n; i++)
        {
            var p = _pending[i];
            _all[p.Sequence] = p;
            _unacked[p.Sequence] = p;
        }

        _pending.RemoveRange(0, n);
    }

    private static bool Same(in LogRecord a, in LogRecord b) =>
        a.Sequence == b.Sequence && a.Kind == b.Kind && a.Channel == b.Channel && a.TimeMs == b.TimeMs && a.Value == b.Value
        && a.Status == b.Status && a.Code == b.Code;

    /// <summary>Reads the whole log and checks it against the oracle.</summary>
    public void Verify()
    {
        var present = new HashSet<uint>();
        var gaps = new List<(uint First, uint Last)>();
        uint prev = 0;
        uint from = 0;
        while (Log.TryReadNext(from, out var r))
        {
            from = r.Sequence + 1;
            Verified++;
            if (r.Sequence <= prev && prev != 0)
            {
                OutOfOrder++;
            }

            prev = r.Sequence;
            present.Add(r.Sequence);
            if (r.LastCovered >= Log.NextSequence)
            {
                Reused++;
            }

            if (r.Kind == RecordKind.Gap)
            {
                bool known = _all.ContainsKey(r.Sequence) || _maybe.ContainsKey(r.Sequence);
                if (!known || r.Span == 0)
                {
                    Corrupt++;
                }

                gaps.Add((r.Sequence, r.LastCovered));
                continue;
            }

            if (_all.TryGetValue(r.Sequence, out var e))
            {
                if (!Same(r, e))
                {
                    Corrupt++;
                }
            }
            else if (_maybe.TryGetValue(r.Sequence, out var m) && Same(r, m))
            {
                // It made it to flash after all: committed from now on.
                _all[r.Sequence] = m;
                _unacked[r.Sequence] = m;
                _maybe.Remove(r.Sequence);
            }
            else
            {
                Corrupt++;
            }
        }

        foreach (var k in _maybe.Keys)
        {
            _neverCommitted.Add(k);
        }

        _maybe.Clear();
        var gone = new List<uint>();
        foreach (var k in _unacked.Keys)
        {
            if (present.Contains(k))
            {
                continue;
            }

            gone.Add(k);
            bool covered = false;
            foreach (var g in gaps)
            {
                if (k >= g.First && k <= g.Last)
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                Lost++;
                LastLoss = $"lost seq {k} kind {_unacked[k].Kind}; present {present.Count}; next {Log.NextSequence}; files {string.Join(",", Flash.FileIds)}";
            }
        }

        foreach (var k in gone)
        {
            _unacked.Remove(k);
        }
    }

    /// <summary>Appends fresh records after recovery and reads them back (the log still works).</summary>
    public bool AcceptsNewRecords()
    {
        var reading = new Reading(ChannelId.WaterLevelMillimeters, _time + 1, 4242, ReadingStatus.Ok);
        uint seq = Log.Append(ref reading);
        Log.Commit();
        var r = new LogRecord { Sequence = seq, Kind = RecordKind.Reading, Channel = reading.Channel, TimeMs = reading.TimeMs, Value = 4242, Span = 1 };
        _all[seq] = r;
        _unacked[seq] = r;
        MaxIssued = Math.Max(MaxIssued, seq);
        return Log.TryRead(seq, out var back) && Same(back, r);
    }
}
