using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Maps the validated site configuration (<see cref="GatewayConfig"/>, control layer) onto the event logic's
    /// settings. Pure; called by the composition root at boot and after a configuration change. The parts' settings
    /// are mapped by Gateway.Bindings.Configuration.BindingConfiguration.
    /// </summary>
    public static class SensingConfiguration
    {
        /// <summary>The event logic's settings. A 0 for a rate or alert threshold in the configuration means off.</summary>
        public static SensingSettings ToEventSettings(GatewayConfig config)
        {
            SensingSettings s = new SensingSettings();
            s.QuietIntervalMs = config.BaseCadenceSeconds * 1000;
            s.ObservingIntervalMs = config.AboveObservationCadenceSeconds * 1000;
            s.RapidIntervalMs = 120000;
            if (s.RapidIntervalMs > s.ObservingIntervalMs)
            {
                s.RapidIntervalMs = s.ObservingIntervalMs;
            }

            s.InternalIntervalMs = s.QuietIntervalMs < 60000 ? s.QuietIntervalMs : 60000;
            if (config.SiteKind == SiteKind.River)
            {
                s.ObservationStartLevelMm = config.ObservationStartLevelMillimeters;
                s.StandbyLevelMm = config.StandbyLevelMillimeters;
                s.CautionLevelMm = config.CautionLevelMillimeters;
                s.EvacuationDecisionLevelMm = config.EvacuationLevelMillimeters;
                s.DangerLevelMm = config.DangerLevelMillimeters;
                s.AlarmHysteresisMm = config.LevelHysteresisMillimeters;
                s.ObservationStartHysteresisMm = config.LevelHysteresisMillimeters;
                s.RateOfRiseMmPer10Min = OffIfZero(config.RiseTriggerMillimetersPer10Minutes);
            }

            s.SnowfallAlertMmPerHour = config.SnowAlertCentimetersPerHour > 0 ? config.SnowAlertCentimetersPerHour * 10 : SensingSettings.Disabled;
            s.TiltRateAlarmMillidegreesPerHour = OffIfZero(config.TiltAlarmMillidegreesPerHour);
            s.TiltRateAlarmMillidegreesPerDay = OffIfZero(config.TiltAlarmMillidegreesPerDay);
            return s;
        }

        private static int OffIfZero(int value)
        {
            return value > 0 ? value : SensingSettings.Disabled;
        }
    }
}
