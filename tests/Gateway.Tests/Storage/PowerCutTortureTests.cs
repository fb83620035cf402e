using System;
using Gateway.Virtual.Flash;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class PowerCutTortureTests
{
    private readonly ITestOutputHelper _output;

    public PowerCutTortureTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Ten_thousand_power_cuts_lose_corrupt_and_reuse_nothing()
    {
        var rng = new Random(20260101);
        var rig = new TortureRig(20260101, Small(atRisk: 2), PowerCutModel.LittleFs);
        int cuts = 0, torn = 0, recoveryCuts = 0, boundaryCuts = 0;

        // 1. Random cuts through a long workload, alternating the littlefs and the raw torn-append models.
        while (cuts < 10_000)
        {
            rig.Flash.Model = rng.Next(2) == 0 ? PowerCutModel.LittleFs : PowerCutModel.RawAppend;
            bool isTorn = rng.Next(2) == 0;
            rig.Flash.ArmCut(rng.Next(1, 30), isTorn);
            if (!rig.RunUntilCut(5_000))
            {
                throw new InvalidOperationException("the workload stopped writing");
            }

            cuts++;
            torn += isTorn ? 1 : 0;
            rig.Flash.PowerOn();
            if (recoveryCuts < 1000 && cuts % 5 == 0)
            {
                // A second cut during recovery.
                rig.Flash.ArmCut(rng.Next(1, 4), rng.Next(2) == 0);
                try
                {
                    rig.Recover();
                    rig.Flash.Disarm();
                }
                catch (PowerCutException)
                {
                    recoveryCuts++;
                    rig.Flash.PowerOn();
                }
            }

            rig.Recover();
            rig.Verify();
        }

        Assert.True(rig.AcceptsNewRecords());
        rig.Verify();

        // 2. Every write boundary of a short workload, between writes and torn, under both models.
        foreach (var model in new[] { PowerCutModel.LittleFs, PowerCutModel.RawAppend })
        {
            var probe = new TortureRig(77, Small(), model);
            long start = probe.Flash.WriteOps;
            probe.Steps(400);
            int writes = (int)(probe.Flash.WriteOps - start);
            for (int k = 1; k <= writes; k++)
            {
                foreach (bool isTorn in new[] { false, true })
                {
                    var one = new TortureRig(77, Small(), model);
                    one.Flash.ArmCut(k, isTorn);
                    Assert.True(one.RunUntilCut(400));
                    one.Flash.PowerOn();
                    one.Recover();
                    one.Verify();
                    Assert.True(one.AcceptsNewRecords());
                    one.Verify();
                    Assert.True(one.Lost + one.Corrupt + one.Reused + one.OutOfOrder == 0, $"{model} cut at write {k} torn={isTorn}: lost={one.Lost} corrupt={one.Corrupt} reused={one.Reused} out_of_order={one.OutOfOrder} {one.LastLoss}");
                    boundaryCuts++;
                    torn += isTorn ? 1 : 0;
                }
            }
        }

        var line = $"storage torture: cuts={cuts + boundaryCuts} random={cuts} boundary={boundaryCuts} torn={torn} raw_torn_writes={rig.Flash.TornWrites} " +
                   $"recovery_cuts={recoveryCuts} torn_tails_dropped={rig.TornFoundAtRecovery} capacity_rewrites={rig.Rewrites} readings_thinned={rig.Dropped} records_appended={rig.Appended} records_verified={rig.Verified} " +
                   $"lost={rig.Lost} corrupt={rig.Corrupt} reused={rig.Reused} out_of_order={rig.OutOfOrder}";
        Report(_output, line);
        Assert.True(recoveryCuts >= 1000, $"only {recoveryCuts} recovery cuts");
        Assert.Equal(0, rig.Lost);
        Assert.Equal(0, rig.Corrupt);
        Assert.Equal(0, rig.Reused);
        Assert.Equal(0, rig.OutOfOrder);
    }
}
