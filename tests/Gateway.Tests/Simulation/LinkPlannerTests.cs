using System;
using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Xunit;

namespace Gateway.Tests.Simulation
{
    public class LinkPlannerTests
    {
        [Fact]
        public void Path_loss_is_okumura_hata_with_the_suburban_correction()
        {
            // 923.2 MHz, base 30 m, mobile 2 m: A = 69.55 + 26.16 log f − 13.82 log 30 − a(2), B = 44.9 − 6.55 log 30,
            // suburban correction 2 (log(f/28))² + 5.4; worked by hand: 115.40 dB at 1 km, 35.23 dB a decade.
            Assert.Equal(115.40, LinkPlanner.PathLossDb(1), 2);
            Assert.Equal(35.225, LinkPlanner.PathLossDb(10) - LinkPlanner.PathLossDb(1), 2);
            Assert.Equal(-117.03, LinkPlanner.NoiseFloorDbm, 2);
        }

        [Fact]
        public void Required_snr_follows_the_demodulator_table()
        {
            Assert.Equal(new[] { -7.5, -10, -12.5, -15, -17.5, -20 }, Enumerable.Range(7, 6).Select(LinkPlanner.RequiredSnrDb).ToArray());
        }

        [Theory]
        [InlineData(-6.0, 2)]   // margin −1 dB at DR2: no step
        [InlineData(-2.0, 3)]   // margin 3 dB: one step
        [InlineData(1.0, 4)]    // margin 6 dB: two steps
        [InlineData(4.0, 5)]    // margin 9 dB: three steps
        [InlineData(20.0, 5)]   // capped at DR5 (further steps would lower the power)
        [InlineData(-30.0, 2)]  // negative steps never lower the data rate
        public void Adr_moves_one_data_rate_per_3_db_of_margin_above_the_installation_margin(double maxSnr, int dr)
        {
            Assert.Equal(dr, LinkPlanner.Adr(maxSnr, 2));
        }

        [Fact]
        public void Seeded_placement_spreads_twenty_gateways_over_dr2_to_dr5_each_with_a_link_dr2_can_carry()
        {
            var random = new Random(1 + 911);
            var links = Enumerable.Range(0, 20).Select(_ => LinkPlanner.Place(random)).ToList();
            Assert.Equal(new[] { 2, 3, 4, 5 }, links.Select(l => l.DataRate).Distinct().OrderBy(d => d).ToArray());
            Assert.All(links, l => Assert.InRange(l.DistanceKm, LinkPlanner.MinDistanceKm, LinkPlanner.MaxDistanceKm));
            Assert.All(links, l => Assert.True(l.MeanSnrDb >= LinkPlanner.RequiredSnrDb(10)));
            Assert.All(links, l => Assert.Equal(LinkPlanner.Adr(l.MaxSnrDb, 2), l.DataRate));
            var near = LinkPlanner.Place(new Random(3), 1.0);
            var far = LinkPlanner.Place(new Random(3), 6.0);
            Assert.True(near.MeanSnrDb > far.MeanSnrDb);
        }

        [Fact]
        public void Cayenne_lpp_takes_22_bytes_for_one_wake_of_five_values_and_splits_at_dr2()
        {
            var wake = new[] { ChannelId.WaterLevelMillimeters, ChannelId.PressurePascals, ChannelId.TiltXMillidegrees, ChannelId.TiltYMillidegrees, ChannelId.BatteryMillivolts };
            Assert.Equal(22, wake.Sum(RadioFigures.CayenneLppBytes));
            var readings = wake.Select(c => (1000L, c)).ToList();
            Assert.Equal(As923.UplinkMicroseconds(3, 22), RadioFigures.CayenneLppAirtimeUs(readings, 3));
            // SF9: 35 PHY bytes, (8 + 4.25) + 8 + ceil(288 / 36) · 5 = 60.25 symbols of 4.096 ms.
            Assert.Equal(246_784, RadioFigures.CayenneLppAirtimeUs(readings, 3));

            // DR2 carries 11 bytes: 6 + 4 | 4 + 4 | 4, whole values only.
            Assert.Equal(As923.UplinkMicroseconds(2, 10) + As923.UplinkMicroseconds(2, 8) + As923.UplinkMicroseconds(2, 4), RadioFigures.CayenneLppAirtimeUs(readings, 2));

            // Two wakes are two frames; events and gap spans are not measurements.
            var two = readings.Concat(new[] { (2000L, ChannelId.WaterLevelMillimeters), (2000L, ChannelId.EventCode) }).ToList();
            Assert.Equal(As923.UplinkMicroseconds(3, 22) + As923.UplinkMicroseconds(3, 6), RadioFigures.CayenneLppAirtimeUs(two, 3));
        }
    }
}
