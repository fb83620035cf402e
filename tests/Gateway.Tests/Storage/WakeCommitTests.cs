using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

/// <summary>The per-wake commit: one frame per sampling instant, a power cut at any byte of it, old-format logs.</summary>
public class WakeCommitTests
{
    private const int Channels = 4;
    private readonly ITestOutputHelper _output;

    public WakeCommitTests(ITestOutputHelper output) => _output = output;

    private static RecordLogSettings Production() => new() { EpochSeed = 3 };

    private static int Value(int wake, int channel) => 1000 * channel + (wake * 7 % 23) - 11;

    /// <summary>Runs one wake of <see cref="Channels"/> readings; returns their sequences.</summary>
    private static uint[] Wake(RecordLog log, int wake, bool end = true)
    {
        var seqs = new uint[Channels];
        log.BeginWake();
        for (int c = 0; c < Channels; c++)
        {
            var r = Sample(1 + c, T0 + wake * 60_000L, Value(wake, c));
            seqs[c] = log.Append(ref r);
        }

        if (end)
        {
            log.EndWake();
        }

        return seqs;
    }

    [Fact]
    public void A_wake_is_one_journal_append_and_nothing_is_written_before_its_end()
    {
        var flash = new VirtualFlash(1, 4096);
        var log = OpenLog(flash, Production());
        Wake(log, 0);
        long ops = flash.WriteOps;
        Wake(log, 1, end: false);
        Assert.Equal(ops, flash.WriteOps);
        Assert.Equal(Channels, log.StagedReadings);
        log.EndWake();
        Assert.Equal(ops + 1, flash.WriteOps);
        Assert.Equal(0, log.StagedReadings);
    }

    [Fact]
    public void A_power_cut_at_every_byte_of_a_wake_commit_loses_that_wake_whole_or_nothing_and_never_a_committed_one()
    {
        // A log with committed wakes (and one reboot) before the wake that is cut.
        var baseFlash = new VirtualFlash(5, 4096, PowerCutModel.RawAppend);
        var first = OpenLog(baseFlash, Production());
        var committed = new Dictionary<uint, int>();
        for (int w = 0; w < 6; w++)
        {
            var s = Wake(first, w);
            for (int c = 0; c < Channels; c++)
            {
                committed[s[c]] = Value(w, c);
            }
        }

        first.Suspend();

        // The length of the frame the next wake commits.
        var probeFlash = baseFlash.Clone(5);
        var probe = OpenLog(probeFlash, Production());
        uint journal = probeFlash.FileIds.Where(id => id >= 0x40000000 && id < 0x80000000).DefaultIfEmpty(0x40000000u).Max();
        Wake(probe, 6, end: false);
        journal = probeFlash.FileIds.Where(id => id >= 0x40000000 && id < 0x80000000).DefaultIfEmpty(journal).Max();
        int before = probeFlash.FileIds.Contains(journal) ? probeFlash.GetRaw(journal).Length : 0;
        probe.EndWake();
        journal = probeFlash.FileIds.Where(id => id >= 0x40000000 && id < 0x80000000).Max();
        int frame = probeFlash.GetRaw(journal).Length - (probeFlash.GetRaw(journal).Length > before ? before : 0);
        Assert.InRange(frame, 20, 40);

        var garbage = new byte[8];
        new Random(9).NextBytes(garbage);
        var tails = new[] { Array.Empty<byte>(), Enumerable.Repeat((byte)0xFF, 8).ToArray(), garbage };
        int cuts = 0, whole = 0, none = 0;
        for (int keep = 0; keep <= frame; keep++)
        {
            foreach (var tail in tails)
            {
                var flash = baseFlash.Clone(keep);
                var log = OpenLog(flash, Production());
                var seqs = Wake(log, 6, end: false);
                flash.ArmCutAtByte(1, keep, tail);
                Assert.Throws<PowerCutException>(() => log.EndWake());
                cuts++;
                flash.PowerOn();

                var after = OpenLog(flash, Production());
                foreach (var kv in committed)
                {
                    Assert.True(after.TryRead(kv.Key, out var r), $"cut at byte {keep}: committed {kv.Key} lost");
                    Assert.Equal(kv.Value, r.Value);
                }

                int found = 0;
                for (int c = 0; c < Channels; c++)
                {
                    if (after.TryRead(seqs[c], out var r))
                    {
                        Assert.Equal(Value(6, c), r.Value);
                        Assert.Equal(T0 + 6 * 60_000L, r.TimeMs);
                        found++;
                    }
                }

                Assert.True(found == 0 || found == Channels, $"cut at byte {keep} of {frame}: {found} of the wake's {Channels} readings survived");
                Assert.True(found == 0 || keep == frame, $"cut at byte {keep} of {frame}: an incomplete frame was accepted");
                whole += found == Channels ? 1 : 0;
                none += found == 0 ? 1 : 0;
                Assert.Equal(committed.Count + found, ReadAll(after).Count(r => r.Kind == RecordKind.Reading));

                // The log carries on: the next wake commits above every sequence handed out before the cut.
                var next = Wake(after, 7);
                Assert.True(next[0] > seqs[Channels - 1]);
                var again = OpenLog(flash, Production());
                Assert.True(again.TryRead(next[Channels - 1], out var last));
                Assert.Equal(Value(7, Channels - 1), last.Value);
            }
        }

        Report(_output, $"wake frame {frame} bytes: {cuts} cuts (every byte × no tail, erased 0xFF, garbage): {none} lost the wake, {whole} kept it whole, 0 partial");
        Assert.Equal(tails.Length * (frame + 1), whole + none);
    }

    [Fact]
    public void A_power_cut_before_or_after_a_whole_wake_commit_keeps_every_committed_wake()
    {
        var flash = new VirtualFlash(8, 4096, PowerCutModel.LittleFs);
        var log = OpenLog(flash, Production());
        var done = new List<uint>();
        for (int w = 0; w < 200; w++)
        {
            done.AddRange(Wake(log, w));
        }

        var seqs = Wake(log, 200, end: false);
        flash.ArmCut(1, torn: false);
        Assert.Throws<PowerCutException>(() => log.EndWake());
        flash.PowerOn();
        var after = OpenLog(flash, Production());
        Assert.All(done, s => Assert.True(after.TryRead(s, out _)));
        Assert.All(seqs, s => Assert.False(after.TryRead(s, out _)));
    }

    [Fact]
    public void Groups_of_one_instant_read_back_exactly_whatever_the_channels_statuses_and_skips()
    {
        var w = new FrameWriter(512);
        var rng = new Random(12);
        var expected = new List<LogRecord>();
        uint seq = 500;
        long time = T0;
        int[] chans = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        w.Begin(0);
        for (int instant = 0; instant < 12; instant++)
        {
            time += instant % 3 == 0 ? 0 : 60_000;
            int last = -1;
            foreach (int ch in chans)
            {
                if (rng.Next(3) == 0)
                {
                    continue;
                }

                seq += rng.Next(8) == 0 ? 3u : 1u;
                var r = new LogRecord
                {
                    Sequence = seq, Kind = RecordKind.Reading, Channel = (ChannelId)ch, TimeMs = rng.Next(6) == 0 ? time + 5 : time,
                    Value = rng.Next(-100_000, 100_000), Status = rng.Next(5) == 0 ? ReadingStatus.Noisy : ReadingStatus.Ok, Span = 1,
                };
                if (!w.TryAdd(ref r))
                {
                    break;
                }

                time = r.TimeMs;
                expected.Add(r);
                last = ch;
            }

            if (instant == 6)
            {
                var e = new LogRecord { Sequence = ++seq, Kind = RecordKind.Alarm, Channel = ChannelId.WaterLevelMillimeters, TimeMs = time, Code = 3, Value = 9, Span = 1 };
                Assert.True(w.TryAdd(ref e));
                expected.Add(e);
            }
        }

        int len = w.Finish();
        Assert.Equal(len, FrameFormat.FrameLength(w.Buffer, w.Start, len));
        Assert.True(FrameFormat.CrcMatches(w.Buffer, w.Start, len));
        Assert.Contains(w.Buffer.Skip(w.Start + 12).Take(len - 16), b => b == FrameFormat.TagGroup || b == FrameFormat.TagGroupTimed);
        var reader = new FrameReader();
        reader.Start(w.Buffer, w.Start, len);
        var got = new List<LogRecord>();
        while (reader.Next(out var r))
        {
            got.Add(r);
        }

        Assert.False(reader.Malformed);
        Assert.Equal(expected.Count, got.Count);
        for (int i = 0; i < got.Count; i++)
        {
            Assert.Equal((expected[i].Sequence, expected[i].Kind, expected[i].Channel, expected[i].TimeMs, expected[i].Value, expected[i].Status, expected[i].Code),
                (got[i].Sequence, got[i].Kind, got[i].Channel, got[i].TimeMs, got[i].Value, got[i].Status, got[i].Code));
        }
    }

    /// <summary>A version 1 frame as the format README describes it (fixed 16-byte header).</summary>
    private static byte[] V1Frame(uint first, long baseTime, byte[] body)
    {
        var f = new byte[16 + body.Length + 4];
        f[0] = 0x5A;
        f[1] = 1;
        LittleEndian.WriteUInt16(f, 2, body.Length);
        LittleEndian.WriteUInt32(f, 4, first);
        LittleEndian.WriteInt64(f, 8, baseTime);
        Array.Copy(body, 0, f, 16, body.Length);
        LittleEndian.WriteUInt32(f, 16 + body.Length, Crc32.Compute(f, 0, 16 + body.Length));
        return f;
    }

    [Fact]
    public void A_log_written_in_format_version_1_is_read_after_the_update_and_new_frames_follow_it()
    {
        // The README's version 1 worked example, byte for byte, as a journal left by the old firmware.
        var example = Convert.FromHexString("5a010700e803000000a8da769b010000" + "02a41304f2c001" + "20f7bd70");
        Assert.Equal(example, V1Frame(1000, T0, Convert.FromHexString("02a41304f2c001")));

        // A sealed segment of two version 1 frames before it (sequences 990-993, channel 2, values 10, 12, 11, 15).
        var seg = V1Frame(990, T0 - 600_000, Convert.FromHexString("0214" + "42c0a90704" + "42c0a90701")).Concat(
            V1Frame(993, T0 - 300_000, Convert.FromHexString("021e"))).ToArray();
        var flash = new VirtualFlash(2, 4096);
        flash.SetRaw(0x00000001, seg);
        flash.SetRaw(0x40000001, example);

        var log = OpenLog(flash, Production());
        var old = ReadAll(log);
        Assert.Equal(new uint[] { 990, 991, 992, 993, 1000, 1001 }, old.Select(r => r.Sequence).ToArray());
        Assert.Equal(new[] { 10, 12, 11, 15, 1234, 12345 }, old.Select(r => r.Value).ToArray());
        Assert.Equal(T0 - 600_000 + 2 * 60_000, old[2].TimeMs);
        Assert.Equal(T0 - 300_000, old[3].TimeMs);
        Assert.Equal(ChannelId.PressurePascals, old[5].Channel);

        var seqs = Wake(log, 1);
        Assert.True(seqs[0] > 1001);
        var reopened = OpenLog(flash, Production());
        var all = ReadAll(reopened);
        Assert.Equal(6 + Channels, all.Count);
        Assert.Equal(Value(1, 3), all[^1].Value);
        Assert.True(reopened.TryRead(1000, out var r1000));
        Assert.Equal(1234, r1000.Value);
    }
}
