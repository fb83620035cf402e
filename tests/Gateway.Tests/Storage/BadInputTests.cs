using System;
using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class BadInputTests
{
    private static (VirtualFlash Flash, uint[] Seqs) Filled(int seed)
    {
        var flash = new VirtualFlash(seed, 1024);
        var settings = Small();
        settings.BudgetBytes = 32 * 1024;
        var log = OpenLog(flash, settings);
        var seqs = new uint[1500];
        for (int i = 0; i < seqs.Length; i++)
        {
            var r = Sample(1 + i % 4, T0 + i / 4 * 60_000, i);
            seqs[i] = log.Append(ref r);
        }

        return (flash, seqs);
    }

    private static RecordLogSettings Settings()
    {
        var s = Small();
        s.BudgetBytes = 32 * 1024;
        return s;
    }

    [Fact]
    public void A_segment_of_random_bytes_is_deleted_and_counted_and_the_rest_survives()
    {
        var (flash, seqs) = Filled(11);
        uint victim = flash.FileIds.First(id => id < 0x40000000);
        var garbage = new byte[1000];
        new Random(11).NextBytes(garbage);
        flash.SetRaw(victim, garbage);
        flash.SetRaw(0x00000999, garbage.Take(300).ToArray());
        var log = OpenLog(flash, Settings());
        var h = new StorageHealth();
        log.FillHealth(h, 1, 1);
        Assert.Equal(2, h.CorruptFilesAtRecovery);
        var all = ReadAll(log);
        Assert.True(all.Count > 1000);
        Assert.All(all, r => Assert.Equal(r.Value, Array.IndexOf(seqs, r.Sequence)));
        Assert.DoesNotContain(0x00000999u, flash.FileIds);
        uint next = log.NextSequence;
        var fresh = Sample(1, T0 + 999_999_999, 77);
        Assert.True(log.Append(ref fresh) >= next);
    }

    [Fact]
    public void A_truncated_segment_keeps_its_whole_frames_and_counts_the_torn_tail()
    {
        var (flash, seqs) = Filled(12);
        uint victim = flash.FileIds.First(id => id < 0x40000000);
        var bytes = flash.GetRaw(victim);
        flash.SetRaw(victim, bytes.Take(bytes.Length - 7).ToArray());
        var log = OpenLog(flash, Settings());
        var h = new StorageHealth();
        log.FillHealth(h, 1, 1);
        Assert.Equal(1, h.TornAtRecovery);
        var all = ReadAll(log);
        Assert.All(all, r => Assert.Equal(r.Value, Array.IndexOf(seqs, r.Sequence)));
        Assert.True(all.Count > 1000);
        for (int i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Sequence > all[i - 1].Sequence);
        }
    }

    [Fact]
    public void A_duplicated_segment_is_removed_and_no_record_is_returned_twice()
    {
        var (flash, seqs) = Filled(13);
        uint victim = flash.FileIds.First(id => id < 0x40000000);
        flash.SetRaw(0x00000500, flash.GetRaw(victim));
        var log = OpenLog(flash, Settings());
        var h = new StorageHealth();
        log.FillHealth(h, 1, 1);
        Assert.Equal(1, h.DuplicateFilesAtRecovery);
        var all = ReadAll(log);
        Assert.Equal(all.Count, all.Select(r => r.Sequence).Distinct().Count());
        Assert.Equal(seqs.Length, all.Count);
    }

    [Fact]
    public void Bit_errors_on_read_are_retried_and_never_returned_as_data()
    {
        var (flash, seqs) = Filled(14);
        flash.ReadBitErrorRate = 0.0005;
        var log = OpenLog(flash, Settings());
        for (int round = 0; round < 5; round++)
        {
            var all = ReadAll(log);
            Assert.All(all, r => Assert.Equal(r.Value, Array.IndexOf(seqs, r.Sequence)));
        }

        flash.ReadBitErrorRate = 0;
        Assert.Equal(seqs.Length, ReadAll(OpenLog(flash, Settings())).Count);
    }

    [Fact]
    public void Durable_state_keeps_the_previous_value_when_a_write_is_torn()
    {
        var flash = new VirtualFlash(15, 1024, PowerCutModel.RawAppend);
        var state = new DurableState(flash, 64);
        var a = new byte[] { 1, 2, 3 };
        state.Save(20, a, 0, 3);
        state.Save(20, new byte[] { 4, 5, 6, 7 }, 0, 4);
        flash.ArmCut(1, torn: true);
        Assert.Throws<PowerCutException>(() => state.Save(20, new byte[] { 9, 9, 9, 9, 9 }, 0, 5));
        flash.PowerOn();
        var buf = new byte[64];
        Assert.True(new DurableState(flash, 64).TryLoad(20, buf, 0, out int len));
        Assert.Equal(new byte[] { 4, 5, 6, 7 }, buf.Take(len).ToArray());
        Assert.False(state.TryLoad(21, buf, 0, out _));
    }
}
