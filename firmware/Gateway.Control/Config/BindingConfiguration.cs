using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Maps the validated site configuration (<see cref="GatewayConfig"/>) onto the bindings' settings classes.
    /// Pure; called by the composition root at boot and after a configuration change.
    /// </summary>
    public static class BindingConfiguration
    {
        /// <summary>The ultrasonic ranger's settings (output by site kind: level for rivers, depth for snow).</summary>
        public static UltrasonicSettings ToUltrasonicSettings(GatewayConfig config)
        {
            UltrasonicSettings s = new UltrasonicSettings();
            s.PingCount = config.UltrasonicMedianCount;
            s.BlankingMm = config.UltrasonicMinMillimeters;
            s.MaxRangeMm = config.UltrasonicMaxMillimeters;
            s.ReferenceMm = config.UltrasonicMountHeightMillimeters + (config.SiteKind == SiteKind.River ? config.LevelOffsetMillimeters : 0);
            s.Output = config.SiteKind == SiteKind.Snow ? RangerOutput.SnowDepth : RangerOutput.WaterLevel;
            return s;
        }

        /// <summary>The pressure input's settings; zero_pa is the pressure at the lowest signal, span_pa the change to the highest.</summary>
        public static PressureSettings ToPressureSettings(GatewayConfig config)
        {
            PressureSettings s = new PressureSettings();
            bool loop = config.PressureInterface == PressureInterface.CurrentLoop4To20mA;
            s.Signal = loop ? TransducerSignal.CurrentLoop : TransducerSignal.Ratiometric;
            s.Range = loop ? Ads1115Range.Fsr4096 : Ads1115Range.Fsr6144;
            int zeroSignal = loop ? LoopCurrent.ZeroMicroamps : 100000;
            int spanSignal = loop ? LoopCurrent.FullScaleMicroamps - LoopCurrent.ZeroMicroamps : 800000;
            // Shift the signal zero so that the lowest signal reads zero_pa.
            int shifted = zeroSignal - (int)((long)config.PressureZeroPascals * spanSignal / config.PressureSpanPascals);
            s.Calibration = new TransducerCalibration(shifted, spanSignal, config.PressureSpanPascals);
            s.SensorElevationMm = config.PressureSensorElevationMillimeters + config.LevelOffsetMillimeters;
            s.Output = PressureOutput.WaterLevel;
            return s;
        }

        /// <summary>The inclinometer's settings (installation zero from the configuration).</summary>
        public static InclinometerSettings ToInclinometerSettings(GatewayConfig config)
        {
            InclinometerSettings s = new InclinometerSettings();
            s.ZeroPitchMillidegrees = config.InclinometerZeroXMillidegrees;
            s.ZeroRollMillidegrees = config.InclinometerZeroYMillidegrees;
            return s;
        }

    }
}
