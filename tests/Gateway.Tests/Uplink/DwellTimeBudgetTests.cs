using System;
using Gateway.Core.Uplink;
using Xunit;

namespace Gateway.Tests.Uplink
{
    public sealed class DwellTimeBudgetTests
    {
        private const long T0 = 1_763_683_200_000; // 2025-11-21 00:00 UTC, a wall-time base

        [Fact]
        public void Payload_over_the_dwell_limited_maximum_is_never_allowed()
        {
            var budget = new DwellTimeBudget(new DwellTimeSettings());
            Assert.True(budget.Check(2, 11, T0).Allowed);
            var p = budget.Check(2, 12, T0);
            Assert.False(p.Allowed);
            Assert.Equal(BudgetLimit.PayloadTooLarge, p.Limit);
            Assert.Equal(SendPermission.Never, p.EarliestMs);
            Assert.Equal(BudgetLimit.PayloadTooLarge, budget.Check(0, 1, T0).Limit);
            Assert.Equal(BudgetLimit.UnknownDataRate, budget.Check(9, 1, T0).Limit);
            Assert.Equal(BudgetLimit.TransmissionTooLong, budget.CheckAirtime(400_001, T0).Limit);
        }

        [Fact]
        public void Hourly_budget_with_margin_blocks_then_frees_as_the_oldest_minute_expires()
        {
            var settings = new DwellTimeSettings { SafetyMarginPercent = 10, MinPauseMs = 0 };
            var budget = new DwellTimeBudget(settings);
            long air = As923.UplinkMicroseconds(5, 242); // about 370 ms
            long now = T0;
            long sent = 0;
            // Send as fast as allowed for an hour: the ledger must hold the sum within 324 s in any rolling hour.
            var times = new System.Collections.Generic.List<(long t, long us)>();
            while (now < T0 + 2 * 3_600_000)
            {
                var p = budget.CheckAirtime(air, now);
                if (p.Allowed)
                {
                    budget.Record(now, air);
                    times.Add((now, air));
                    sent += air;
                    now += 400;
                }
                else
                {
                    Assert.True(p.EarliestMs > now, "a refusal names a later time");
                    Assert.Equal(BudgetLimit.HourlyBudget, p.Limit);
                    now = p.EarliestMs;
                }
            }

            // True rolling-hour check over the recorded transmissions.
            long worst = 0;
            int j = 0;
            long window = 0;
            for (int i = 0; i < times.Count; i++)
            {
                window += times[i].us;
                while (times[j].t <= times[i].t - 3_600_000)
                {
                    window -= times[j].us;
                    j++;
                }

                worst = Math.Max(worst, window);
            }

            Assert.True(worst <= settings.EffectiveHourlyLimitUs, $"worst rolling hour {worst} us");
            Assert.True(worst >= settings.EffectiveHourlyLimitUs - 60_000_000, $"budget wasted: worst hour only {worst} us");
        }

        [Fact]
        public void Daily_fair_use_limits_a_public_network_device_to_30_s_a_day()
        {
            var settings = new DwellTimeSettings { DailyFairUseUs = 30_000_000 };
            var budget = new DwellTimeBudget(settings);
            long air = As923.UplinkMicroseconds(2, 11);
            long now = T0;
            int sends = 0;
            while (true)
            {
                var p = budget.CheckAirtime(air, now);
                if (!p.Allowed)
                {
                    if (p.Limit == BudgetLimit.DailyFairUse)
                    {
                        Assert.True(p.EarliestMs >= now + 23 * 3_600_000L, "fair use frees a day later");
                        break;
                    }

                    now = p.EarliestMs;
                    continue;
                }

                budget.Record(now, air);
                sends++;
                now += 60_000;
            }

            Assert.Equal((int)(30_000_000 / air), sends);
        }

        [Fact]
        public void Pause_after_a_transmission_is_enforced()
        {
            var budget = new DwellTimeBudget(new DwellTimeSettings { MinPauseMs = 50 });
            budget.Record(T0, 100_000);
            var p = budget.CheckAirtime(100_000, T0 + 120);
            Assert.Equal(BudgetLimit.Pause, p.Limit);
            Assert.Equal(T0 + 150, p.EarliestMs);
        }

        [Fact]
        public void State_survives_deep_sleep_and_damage_makes_it_conservative()
        {
            var settings = new DwellTimeSettings { MinPauseMs = 0 };
            var a = new DwellTimeBudget(settings);
            for (int i = 0; i < 500; i++)
            {
                a.Record(T0 + i * 1000L, 300_000);
            }

            var state = new byte[DwellTimeBudget.StateSize];
            Assert.Equal(DwellTimeBudget.StateSize, a.SaveState(state, 0));
            long later = T0 + 600_000;
            var b = new DwellTimeBudget(settings);
            Assert.True(b.RestoreState(state, 0, state.Length, later));
            Assert.Equal(a.UsedThisHourUs(later), b.UsedThisHourUs(later));
            Assert.Equal(150_000_000, b.UsedThisHourUs(later));
            Assert.Equal(a.CheckAirtime(300_000, later).EarliestMs, b.CheckAirtime(300_000, later).EarliestMs);

            state[10] ^= 0x40;
            var c = new DwellTimeBudget(settings);
            Assert.False(c.RestoreState(state, 0, state.Length, later));
            Assert.False(c.CheckAirtime(300_000, later).Allowed);
        }

        [Fact]
        public void Saved_state_matches_the_worked_example_in_the_readme()
        {
            var budget = new DwellTimeBudget(new DwellTimeSettings());
            budget.Record(T0, 370_688); // one DR2 frame of 11 B at 2025-11-21 00:00:00 UTC
            var state = new byte[DwellTimeBudget.StateSize];
            budget.SaveState(state, 0);
            Assert.Equal(371, state.Length);
            Assert.Equal("01 20 87 c0 01 00 00 00 00 b8 79 07 00 00 00 00 00 73 ed b5 a3 9a 01 00 00",
                BitConverter.ToString(state, 0, 25).Replace('-', ' ').ToLowerInvariant());
            Assert.Equal(new byte[] { 0x00, 0xa8, 0x05, 0x00 }, state[185..189]);
            Assert.Equal(new byte[] { 0x00, 0xa8, 0x05, 0x00 }, state[317..321]);
            Assert.Equal(new byte[] { 0x55, 0x98 }, state[369..371]);
        }

        [Fact]
        public void Asking_and_recording_allocate_nothing()
        {
            var budget = new DwellTimeBudget(new DwellTimeSettings { DailyFairUseUs = 30_000_000 });
            budget.Check(3, 20, T0);
            budget.Record(T0, 1000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long now = T0;
            for (int i = 0; i < 100_000; i++)
            {
                var p = budget.Check(3, 20, now);
                if (p.Allowed)
                {
                    budget.Record(now, p.AirtimeUs);
                }

                now += 997;
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
