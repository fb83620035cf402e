using Gateway.Bindings.Battery;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Sensing;
using Xunit;

namespace Gateway.Tests.Bindings;

public class ConversionTests
{
    [Theory]
    [InlineData(20000, 343200, 60)]   // the textbook 343.2 m/s at 20 °C
    [InlineData(0, 331300, 0)]        // the constant itself
    [InlineData(-10000, 325200, 60)]  // cold morning: 325.2 m/s
    [InlineData(35000, 351900, 60)]   // summer bridge deck: 352.1 m/s
    public void Speed_of_sound_follows_the_square_root_law(int millicelsius, int expectedMmPerSecond, int tolerance)
    {
        Assert.InRange(SpeedOfSound.MillimetersPerSecond(millicelsius), expectedMmPerSecond - tolerance, expectedMmPerSecond + tolerance);
    }

    [Fact]
    public void Echo_time_converts_to_distance_at_the_air_temperature()
    {
        // 1 m at 343.2 m/s takes 2 / 343.2 s = 5827.5 µs round trip.
        Assert.InRange(EchoConversion.ToDistanceMillimeters(5828, 20000), 999, 1001);
        // The same echo at 0 °C is a shorter distance: 5828 µs · 331.3 m/s / 2 = 965 mm.
        Assert.InRange(EchoConversion.ToDistanceMillimeters(5828, 0), 964, 966);
        Assert.Equal(5828, EchoConversion.ToEchoMicroseconds(1000, 343200));
    }

    [Fact]
    public void A_fixed_speed_module_reading_is_rescaled_to_the_real_speed_of_sound()
    {
        // A module assuming 343.2 m/s reads 1000 mm for a target at 965 mm on a 0 °C morning.
        Assert.InRange(EchoConversion.Recompensate(1000, 343200, SpeedOfSound.MillimetersPerSecond(0)), 964, 966);
        Assert.Equal(1000, EchoConversion.Recompensate(1000, 0, 331300));
    }

    [Theory]
    [InlineData(Ads1115Range.Fsr6144, 187_500_000L)]
    [InlineData(Ads1115Range.Fsr4096, 125_000_000L)]
    [InlineData(Ads1115Range.Fsr2048, 62_500_000L)]
    [InlineData(Ads1115Range.Fsr1024, 31_250_000L)]
    [InlineData(Ads1115Range.Fsr0512, 15_625_000L)]
    [InlineData(Ads1115Range.Fsr0256, 7_812_500L)]
    public void Ads1115_lsb_is_the_full_scale_over_32768(Ads1115Range range, long picovolts)
    {
        Assert.Equal(picovolts, Ads1115Conversion.LsbPicovolts(range));
    }

    [Theory]
    [InlineData(Ads1115Range.Fsr6144, 32767, 6143813)]
    [InlineData(Ads1115Range.Fsr4096, 32767, 4095875)]
    [InlineData(Ads1115Range.Fsr4096, -32768, -4096000)]
    [InlineData(Ads1115Range.Fsr2048, 16000, 1000000)]
    [InlineData(Ads1115Range.Fsr1024, 1, 31)]
    [InlineData(Ads1115Range.Fsr0512, -1, -16)]
    [InlineData(Ads1115Range.Fsr0256, 128, 1000)]
    public void Ads1115_codes_convert_to_microvolts_at_each_gain(Ads1115Range range, short code, int microvolts)
    {
        Assert.Equal(microvolts, Ads1115Conversion.ToMicrovolts(code, range));
        Assert.InRange(Ads1115Conversion.ToCode(Ads1115Conversion.ToMicrovolts(code, range), range), code - 1, code + 1);
    }

    [Theory]
    [InlineData(0, LoopState.Failure)]
    [InlineData(3599, LoopState.Failure)]
    [InlineData(3799, LoopState.Failure)]
    [InlineData(3800, LoopState.UnderRange)]
    [InlineData(3999, LoopState.UnderRange)]
    [InlineData(4000, LoopState.Measuring)]
    [InlineData(12000, LoopState.Measuring)]
    [InlineData(20000, LoopState.Measuring)]
    [InlineData(20001, LoopState.OverRange)]
    [InlineData(20500, LoopState.OverRange)]
    [InlineData(20501, LoopState.Failure)]
    [InlineData(21000, LoopState.Failure)]
    public void Loop_current_is_classified_per_namur_ne43(int microamps, LoopState expected)
    {
        Assert.Equal(expected, LoopCurrent.Classify(microamps));
    }

    [Fact]
    public void Shunt_voltage_gives_the_loop_current()
    {
        Assert.Equal(20000, LoopCurrent.ToMicroamps(3_000_000, 150_000)); // 3.0 V over 150 Ω
        Assert.Equal(4000, LoopCurrent.ToMicroamps(600_000, 150_000));
    }

    [Fact]
    public void Calibration_maps_the_loop_linearly_and_two_point_trim_recovers_the_truth()
    {
        var cal = TransducerCalibration.CurrentLoop(49033);
        Assert.Equal(0, cal.ToPascals(4000));
        Assert.Equal(24517, cal.ToPascals(12000));
        Assert.Equal(49033, cal.ToPascals(20000));

        // A transducer that reads 4.1 mA at 0 Pa and 19.7 mA at 49 033 Pa.
        cal.SetTwoPoint(4100, 0, 19700, 49033);
        Assert.Equal(0, cal.ToPascals(4100));
        Assert.InRange(cal.ToPascals(19700), 49030, 49036);
    }

    [Fact]
    public void Depth_follows_from_pressure_with_density_and_standard_gravity()
    {
        Assert.Equal(1000, HydrostaticDepth.ToMillimeters(9807, 1000)); // 1 m of fresh water = 9806.65 Pa
        Assert.Equal(976, HydrostaticDepth.ToMillimeters(9807, 1025));  // sea water
        Assert.Equal(9807, HydrostaticDepth.ToPascals(1000, 1000));
    }

    [Theory]
    [InlineData(0, 0, 1, 0, 0)]             // flat, z up
    [InlineData(1, 0, 0, 90000, 0)]         // x straight up
    [InlineData(0, 1, 0, 0, 90000)]         // y straight up
    [InlineData(0.5, 0, 0.8660254, 30000, 0)]
    [InlineData(0, 0.7071068, 0.7071068, 0, 45000)]
    [InlineData(-0.1736482, 0, 0.9848078, -10000, 0)]
    public void Pitch_and_roll_at_known_orientations(double x, double y, double z, int pitch, int roll)
    {
        Assert.InRange(TiltConversion.PitchMillidegrees(x, y, z), pitch - 1, pitch + 1);
        Assert.InRange(TiltConversion.RollMillidegrees(y, z), roll - 1, roll + 1);
    }

    [Fact]
    public void Divider_scales_the_adc_count_to_the_battery_voltage()
    {
        Assert.Equal(3301, VoltageDivider.ToMillivolts(2048, 12, 3300, 100000, 100000)); // 2048/4095 · 3.3 V · 2
        Assert.Equal(13200, VoltageDivider.ToMillivolts(4095, 12, 3300, 300000, 100000));
    }

    [Fact]
    public void Level_and_snow_geometry()
    {
        Assert.Equal(1200, LevelGeometry.Convert(RangerOutput.WaterLevel, 4000, 2800));
        Assert.Equal(350, LevelGeometry.Convert(RangerOutput.SnowDepth, 2000, 1650));
        Assert.Equal(ChannelId.SnowDepthMillimeters, LevelGeometry.ChannelFor(RangerOutput.SnowDepth));
    }
}
