using System;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Sensing;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;
using Xunit;

namespace Gateway.Tests.Bindings;

/// <summary>The real bindings driven through the virtual parts' raw bus data.</summary>
public class DriverTests
{
    private static (ScenarioPlayer player, VirtualClock clock, VirtualSensorRig rig) Rig(double levelMm, double airC, int seed = 1, SlopeSpec? slope = null)
    {
        var s = new Scenario { Seed = seed, DurationHours = 2, River = new RiverSpec { BaseLevelMm = levelMm }, Air = new AirSpec { MeanCelsius = airC, DailySwingCelsius = 0 }, Slope = slope };
        var player = new ScenarioPlayer(s);
        var clock = new VirtualClock(0);
        return (player, clock, new VirtualSensorRig(player, clock));
    }

    [Theory]
    [InlineData(-15.0)]
    [InlineData(5.0)]
    [InlineData(35.0)]
    public void The_echo_ranger_compensates_for_air_temperature(double airC)
    {
        var (_, _, rig) = Rig(1000, airC);
        var ranger = new EchoUltrasonicRanger(rig.EchoTimer, rig.Thermometer, new UltrasonicSettings { ReferenceMm = 4000 });
        var r = new Reading();
        for (int i = 0; i < 20; i++)
        {
            Assert.True(ranger.TrySample(ref r));
            Assert.Equal(ReadingStatus.Ok, r.Status);
            Assert.InRange(r.Value, 997, 1003);
        }
    }

    [Fact]
    public void The_echo_ranger_without_a_probe_is_flagged_and_off_by_the_speed_of_sound_error()
    {
        var (_, _, rig) = Rig(1000, -15);
        rig.Thermometer.Fault = SensorFault.Disconnected;
        var ranger = new EchoUltrasonicRanger(rig.EchoTimer, rig.Thermometer, new UltrasonicSettings { ReferenceMm = 4000 });
        var r = new Reading();
        ranger.TrySample(ref r);
        Assert.Equal(ReadingStatus.Uncompensated, r.Status);
        // 3000 mm measured at 343.2 instead of 322.2 m/s reads ≈ 196 mm long: the level ≈ 196 mm low.
        Assert.InRange(r.Value, 790, 820);
    }

    [Theory]
    [InlineData(false, 1500)]
    [InlineData(true, 1500)]
    [InlineData(false, 4800)]
    public void The_pressure_input_gives_the_level_within_5_mm(bool absolute, double levelMm)
    {
        var (_, _, rig) = Rig(levelMm, 10);
        rig.Loop.Absolute = absolute;
        rig.Loop.FullScalePascals = absolute ? 150000 : 49033;
        var settings = new PressureSettings
        {
            Absolute = absolute,
            SensorElevationMm = 200,
            Calibration = TransducerCalibration.CurrentLoop(absolute ? 150000 : 49033),
        };
        if (absolute)
        {
            // An absolute transducer reads 0 Pa absolute at 4 mA; the rig offsets it by one atmosphere.
            settings.Calibration = new TransducerCalibration(4000 - (int)(16000.0 * 101325 / 150000), 16000, 150000);
        }

        var input = new PressureTransducer(rig.Adc, rig.Barometer, settings);
        var r = new Reading();
        for (int i = 0; i < 20; i++)
        {
            input.TrySample(ref r);
            Assert.Equal(ReadingStatus.Ok, r.Status & ~ReadingStatus.OutOfRange);
            Assert.InRange(r.Value, levelMm - (absolute ? 25 : 5), levelMm + (absolute ? 25 : 5));
        }
    }

    [Fact]
    public void An_absolute_transducer_without_its_barometer_is_flagged_uncompensated()
    {
        var (_, _, rig) = Rig(1500, 10);
        rig.Barometer.Fault = SensorFault.Disconnected;
        var input = new PressureTransducer(rig.Adc, rig.Barometer, new PressureSettings { Absolute = true, Calibration = TransducerCalibration.CurrentLoop(150000) });
        var r = new Reading();
        input.TrySample(ref r);
        Assert.True((r.Status & ReadingStatus.Uncompensated) != 0);
    }

    [Fact]
    public void The_inclinometer_reads_a_known_attitude_and_reads_zero_after_setting_the_zero()
    {
        var (_, _, rig) = Rig(1000, 10, 4, new SlopeSpec { InitialPitchDegrees = 10, InitialRollDegrees = -5, CreepDegreesPerDay = 0 });
        var settings = new InclinometerSettings { CountsPerG = 256, Oversample = 256 };
        var incl = new Inclinometer(rig.Accelerometer, settings);
        incl.Measure();
        Assert.Equal(ReadingStatus.Ok, incl.LastStatus);
        Assert.InRange(incl.LastPitch, 10000 - 150, 10000 + 150);
        Assert.InRange(incl.LastRoll, -5000 - 150, -5000 + 150);
        incl.SetZeroHere();
        var r = new Reading();
        incl.Pitch.TrySample(ref r);
        Assert.Equal(ChannelId.TiltXMillidegrees, r.Channel);
        Assert.InRange(r.Value, -100, 100);
        incl.Roll.TrySample(ref r);
        Assert.Equal(ChannelId.TiltYMillidegrees, r.Channel);
        Assert.InRange(r.Value, -100, 100);
    }

    [Fact]
    public void A_shaken_inclinometer_is_flagged_noisy()
    {
        var (_, _, rig) = Rig(1000, 10);
        rig.Accelerometer.NoiseCounts = 40;
        var incl = new Inclinometer(rig.Accelerometer, new InclinometerSettings());
        incl.Measure();
        Assert.True((incl.LastStatus & ReadingStatus.Noisy) != 0);
    }

    [Fact]
    public void The_supply_monitor_reads_the_battery_through_the_divider()
    {
        var (_, _, rig) = Rig(1000, 10);
        rig.BatteryMillivolts = 3700;
        var monitor = new SupplyVoltageMonitor(rig.Battery, new SupplyVoltageSettings());
        var r = new Reading();
        monitor.TrySample(ref r);
        Assert.Equal(ChannelId.BatteryMillivolts, r.Channel);
        Assert.InRange(r.Value, 3690, 3710);
        rig.BatteryMillivolts = 2000;
        monitor.TrySample(ref r);
        Assert.Equal(ReadingStatus.OutOfRange, r.Status);
    }
}
