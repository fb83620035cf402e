using System;
using System.Collections.Generic;
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
            const int gateways = 1000;
            const long outageEndMs = 30 * 60_000; // broker unreachable for 30 minutes
            const long windowMs = 10_000;
            var rng = new SeededRandom(2026);
            var reconnects = new List<long>(gateways);
            for (int g = 0; g < gateways; g++)
            {
                var backoff = new RetryBackoff(2_000, 15 * 60_000, new SeededRandom(rng.NextUInt32()));
                long t = SeededRandom.NextInclusive(rng, 1000); // all lose the link within one second
                while (t < outageEndMs)
                {
                    t += backoff.NextDelayMs();
                }

                reconnects.Add(t);
            }

            reconnects.Sort();
            int worst = 0;
            long worstStart = 0;
            int j = 0;
            for (int i = 0; i < reconnects.Count; i++)
            {
                while (reconnects[i] - reconnects[j] >= windowMs)
                {
                    j++;
                }

                if (i - j + 1 > worst)
                {
                    worst = i - j + 1;
                    worstStart = reconnects[j];
                }
            }

            double share = (double)worst / gateways;
            _out.WriteLine($"reconnect spread: max 10-s window holds {worst} of {gateways} reconnects ({share:P1}) at t={worstStart / 1000.0:F0} s; last reconnect at {reconnects[^1] / 1000.0:F0} s");
            Console.WriteLine($"uplink.reconnect_max_10s_window_share={share:F4}");
            Assert.True(share <= 0.05, $"max 10-s window share {share:P1} exceeds 5%");
        }
    }
}
