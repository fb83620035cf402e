using System;
using Gateway.Core.Uplink;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Uplink
{
    public sealed class RetryBackoffTests
    {
        private readonly ITestOutputHelper _out;

        public RetryBackoffTests(ITestOutputHelper output) => _out = output;

        [Fact]
        public void Delays_stay_within_the_growing_capped_ceiling()
        {
            var b = new RetryBackoff(1000, 60_000, new SeededRandom(7));
            long[] ceilings = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 };
            foreach (long c in ceilings)
            {
                Assert.Equal(c, b.CurrentCeilingMs);
                long d = b.NextDelayMs();
                Assert.InRange(d, 0, c);
            }

            b.Reset();
            Assert.Equal(1000, b.CurrentCeilingMs);
        }

        [Fact]
        public void Same_seed_replays_the_same_delays()
        {
            var a = new RetryBackoff(500, 100_000, new SeededRandom(42));
            var c = new RetryBackoff(500, 100_000, new SeededRandom(42));
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal(a.NextDelayMs(), c.NextDelayMs());
            }
        }

        [Fact]
        public void Thousand_gateways_after_a_shared_outage_spread_their_reconnects()
        {
            // 1,000 gateways lose the broker within one second of each other for 30 minutes; base 2 s, cap 15 min.
            var s = Gateway.Cli.Commands.LoraReconnectSpreadCommand.Simulate(1000, 30 * 60_000, 2_000, 15 * 60_000, 2026);
            _out.WriteLine($"reconnect spread: max 10-s window holds {s.MaxInWindow} of {s.Gateways} reconnects ({s.MaxWindowShare:P1}) at t={s.MaxWindowStartMs / 1000.0:F0} s; last reconnect at {s.LastReconnectMs / 1000.0:F0} s; {s.MeanAttempts:F1} attempts per gateway");
            Assert.True(s.LastReconnectMs >= 30 * 60_000, "nobody reconnects during the outage");
            Assert.True(s.MaxWindowShare <= 0.05, $"max 10-s window share {s.MaxWindowShare:P1} exceeds 5%");
        }

        [Fact]
        public void Without_jitter_the_same_fleet_would_reconnect_in_a_storm()
        {
            // The check that the measure can fail: a tiny cap brings everyone back within seconds of each other.
            var s = Gateway.Cli.Commands.LoraReconnectSpreadCommand.Simulate(1000, 30 * 60_000, 2_000, 4_000, 2026);
            Assert.True(s.MaxWindowShare > 0.5, $"share {s.MaxWindowShare:P1}");
        }
    }
}
