using Gateway.Bindings.Ultrasonic;
using Gateway.Control.Config;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Xunit;

namespace Gateway.Tests.Sensing;

public class SensingConfigurationTests
{
    [Fact]
    public void Site_configuration_maps_onto_the_event_rules()
    {
        var c = new GatewayConfig { BaseCadenceSeconds = 600, AboveObservationCadenceSeconds = 300, RiseTriggerMillimetersPer10Minutes = 0, SnowAlertCentimetersPerHour = 3 };
        SensingSettings s = SensingConfiguration.ToEventSettings(c);
        Assert.Equal(600000, s.QuietIntervalMs);
        Assert.Equal(300000, s.ObservingIntervalMs);
        Assert.Equal(c.ObservationStartLevelMillimeters, s.ObservationStartLevelMm);
        Assert.Equal(c.DangerLevelMillimeters, s.DangerLevelMm);
        Assert.Equal(SensingSettings.Disabled, s.RateOfRiseMmPer10Min);
        Assert.Equal(30, s.SnowfallAlertMmPerHour);
    }

    [Fact]
    public void A_snow_site_measures_depth_and_has_no_river_levels()
    {
        var c = new GatewayConfig { SiteKind = SiteKind.Snow, UltrasonicMountHeightMillimeters = 3000 };
        Assert.Equal(RangerOutput.SnowDepth, BindingConfiguration.ToUltrasonicSettings(c).Output);
        Assert.Equal(SensingSettings.Disabled, SensingConfiguration.ToEventSettings(c).CautionLevelMm);
    }

    [Fact]
    public void Pressure_zero_and_span_in_pascals_map_onto_the_loop_calibration()
    {
        var c = new GatewayConfig { PressureFitted = true, PressureZeroPascals = -1000, PressureSpanPascals = 50000 };
        var cal = BindingConfiguration.ToPressureSettings(c).Calibration;
        Assert.Equal(-1000, cal.ToPascals(4000));
        Assert.Equal(49000, cal.ToPascals(20000));
    }
}
