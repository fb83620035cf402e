using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Xunit;

namespace Gateway.Tests.Node
{
    public sealed class AutonomyGovernorTests
    {
        [Theory]
        [InlineData(4200, 0)] // full
        [InlineData(3850, 0)] // ~56 %
        [InlineData(3800, 1)] // ~43 %: saving
        [InlineData(3760, 2)] // ~27 %: low
        [InlineData(3700, 3)] // ~13 %: critical
        [InlineData(3250, 3)] // below the critical voltage
        public void A_falling_battery_enters_the_documented_step_at_once(int millivolts, int step)
        {
            var g = new AutonomyGovernor();
            g.Update(millivolts);
            Assert.Equal(step, g.Step);
            Assert.Equal(new[] { 1, 2, 3, 6 }[step], g.Stretch);
        }

        [Fact]
        public void A_step_is_left_only_with_the_hysteresis_margin()
        {
            var g = new AutonomyGovernor();
            g.Update(3800); // ~43 %
            Assert.Equal(1, g.Step);
            g.Update(3830); // ~52 %: above 50 but not 60
            Assert.Equal(1, g.Step);
            g.Update(3900); // ~66 %
            Assert.Equal(0, g.Step);
            Assert.Equal(2, g.Changes);
        }

        [Fact]
        public void A_primary_cell_stays_normal_on_its_flat_voltage_and_goes_critical_at_the_knee()
        {
            var g = new AutonomyGovernor { PrimaryCell = true };
            g.Update(3600);
            Assert.Equal(0, g.Step);
            g.Update(3280);
            Assert.Equal(3, g.Step);
        }

        [Fact]
        public void Nonsense_voltages_change_nothing_and_resume_restores_the_step_of_a_stretch()
        {
            var g = new AutonomyGovernor();
            Assert.False(g.Update(0));
            Assert.Equal(-1, g.SocPercent);
            g.Resume(3);
            Assert.Equal(2, g.Step);
            g.Resume(5); // no step stretches 5: unchanged
            Assert.Equal(2, g.Step);
        }

        [Fact]
        public void The_stretch_lengthens_only_the_quiet_cadence()
        {
            var settings = new SensingSettings { ObservationStartLevelMm = 1000 };
            var d = new EventDetector(settings, null!, new NullSink(), 1);
            d.QuietStretch = 3;
            Assert.Equal(CadenceMode.Quiet, d.Mode);
            Assert.Equal(1_800_000, d.RecordIntervalMs);
            Assert.Equal(900_000, d.NextSampleIntervalMs);

            // Above the observation-start level the MLIT cadence holds whatever the battery.
            var r = new Reading(ChannelId.WaterLevelMillimeters, 0, 1200, ReadingStatus.Ok);
            d.Process(ref r, 0);
            Assert.Equal(CadenceMode.Observing, d.Mode);
            Assert.Equal(600_000, d.RecordIntervalMs);
        }

        [Fact]
        public void The_console_shows_the_step_the_stretch_and_the_battery()
        {
            var g = new AutonomyGovernor();
            Assert.Equal("power: step 0 normal, quiet routine x1, battery -, charge -", Gateway.Control.Technician.GatewayConsoleServices.DescribePower(g));
            g.Update(3760);
            Assert.Equal("power: step 2 low, quiet routine x3, battery 3760 mV, charge 26 %", Gateway.Control.Technician.GatewayConsoleServices.DescribePower(g));
            Assert.Equal("power: no governor", Gateway.Control.Technician.GatewayConsoleServices.DescribePower(null!));
        }

        private sealed class NullSink : IReadingSink
        {
            public void Accept(ref Reading reading)
            {
            }
        }
    }
}
