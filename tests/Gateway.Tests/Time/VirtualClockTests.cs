using Gateway.Core.Time;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Time
{
    public class VirtualClockTests
    {
        [Fact]
        public void Advancing_moves_uptime_and_wall_time_together()
        {
            var clock = new VirtualClock(1_700_000_000_000L);
            clock.Advance(90_000);
            Assert.Equal(90_000, clock.UptimeMs);
            Assert.Equal(1_700_000_090_000L, clock.WallTimeMs);
        }

        [Fact]
        public void A_reboot_restarts_uptime_and_forgets_the_wall_time_unless_kept()
        {
            var clock = new VirtualClock(1_700_000_000_000L);
            clock.Advance(5_000);
            clock.Reboot(keepWallTime: false);
            Assert.Equal(0, clock.UptimeMs);
            Assert.Equal(ClockQuality.Unknown, clock.Quality);
        }

        [Fact]
        public void Time_never_moves_backwards()
        {
            var clock = new VirtualClock(0);
            Assert.Throws<System.ArgumentOutOfRangeException>(() => clock.Advance(-1));
        }
    }
}
