using System.Collections;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Writes a <see cref="GatewayConfig"/> as its complete canonical JSON document (every field, sorted members,
    /// no whitespace): what <c>config get</c> prints, what is persisted and what a signature covers. Parsing the
    /// output gives back an equal configuration.
    /// </summary>
    public static class ConfigWriter
    {
        private static readonly string[] SiteKindNames = { "", "river", "snow", "slope" };
        private static readonly string[] CellularModeNames = { "catm", "nbiot", "both" };
        private static readonly string[] TransportNames = { "", "lora", "cellular", "wifi" };
        private static readonly string[] UltrasonicInterfaceNames = { "", "uart", "echo" };
        private static readonly string[] PressureInterfaceNames = { "", "current_4_20ma", "ratiometric" };

        /// <summary>The configuration as canonical JSON.</summary>
        public static string ToJson(GatewayConfig c)
        {
            return JsonWriter.Write(ToTree(c));
        }

        /// <summary>The configuration as a JSON tree (Hashtable of sections).</summary>
        public static Hashtable ToTree(GatewayConfig c)
        {
            var root = new Hashtable();
            root["schema"] = (long)c.SchemaVersion;

            var site = new Hashtable();
            site["id"] = c.SiteId;
            site["name"] = c.SiteName;
            site["kind"] = SiteKindNames[(int)c.SiteKind];
            if (c.HasLocation)
            {
                site["lat"] = c.LatitudeDegrees;
                site["lon"] = c.LongitudeDegrees;
            }

            root["site"] = site;

            var channels = new Hashtable();
            channels["level_offset_mm"] = (long)c.LevelOffsetMillimeters;
            var us = new Hashtable();
            us["fitted"] = c.UltrasonicFitted;
            us["interface"] = UltrasonicInterfaceNames[(int)c.UltrasonicInterface];
            us["mount_height_mm"] = (long)c.UltrasonicMountHeightMillimeters;
            us["min_mm"] = (long)c.UltrasonicMinMillimeters;
            us["max_mm"] = (long)c.UltrasonicMaxMillimeters;
            us["median_count"] = (long)c.UltrasonicMedianCount;
            channels["ultrasonic"] = us;
            var pr = new Hashtable();
            pr["fitted"] = c.PressureFitted;
            pr["interface"] = PressureInterfaceNames[(int)c.PressureInterface];
            pr["zero_pa"] = (long)c.PressureZeroPascals;
            pr["span_pa"] = (long)c.PressureSpanPascals;
            pr["sensor_elevation_mm"] = (long)c.PressureSensorElevationMillimeters;
            pr["min_mm"] = (long)c.PressureMinMillimeters;
            pr["max_mm"] = (long)c.PressureMaxMillimeters;
            pr["median_count"] = (long)c.PressureMedianCount;
            channels["pressure"] = pr;
            var inc = new Hashtable();
            inc["fitted"] = c.InclinometerFitted;
            inc["zero_x_mdeg"] = (long)c.InclinometerZeroXMillidegrees;
            inc["zero_y_mdeg"] = (long)c.InclinometerZeroYMillidegrees;
            inc["max_abs_mdeg"] = (long)c.InclinometerMaxAbsMillidegrees;
            inc["median_count"] = (long)c.InclinometerMedianCount;
            channels["inclinometer"] = inc;
            var bat = new Hashtable();
            bat["fitted"] = c.BatteryFitted;
            bat["low_mv"] = (long)c.BatteryLowMillivolts;
            bat["primary"] = c.BatteryPrimary;
            channels["battery"] = bat;
            root["channels"] = channels;

            var river = new Hashtable();
            river["observation_start_mm"] = (long)c.ObservationStartLevelMillimeters;
            river["standby_mm"] = (long)c.StandbyLevelMillimeters;
            river["caution_mm"] = (long)c.CautionLevelMillimeters;
            river["evacuation_mm"] = (long)c.EvacuationLevelMillimeters;
            river["danger_mm"] = (long)c.DangerLevelMillimeters;
            river["hysteresis_mm"] = (long)c.LevelHysteresisMillimeters;
            root["river"] = river;

            var cadence = new Hashtable();
            cadence["base_s"] = (long)c.BaseCadenceSeconds;
            cadence["above_observation_s"] = (long)c.AboveObservationCadenceSeconds;
            cadence["rise_trigger_mm_per_10min"] = (long)c.RiseTriggerMillimetersPer10Minutes;
            cadence["trial_periods"] = (long)c.TrialPeriods;
            root["cadence"] = cadence;

            var snow = new Hashtable();
            snow["alert_cm_per_h"] = (long)c.SnowAlertCentimetersPerHour;
            root["snow"] = snow;

            var slope = new Hashtable();
            slope["tilt_alarm_mdeg_per_h"] = (long)c.TiltAlarmMillidegreesPerHour;
            slope["tilt_alarm_mdeg_per_day"] = (long)c.TiltAlarmMillidegreesPerDay;
            root["slope"] = slope;

            var transport = new Hashtable();
            transport["primary"] = TransportNames[(int)c.PrimaryTransport];
            var failover = new ArrayList();
            for (int i = 0; i < c.FailoverTransports.Length; i++)
            {
                failover.Add(TransportNames[(int)c.FailoverTransports[i]]);
            }

            transport["failover"] = failover;
            var lora = new Hashtable();
            lora["region"] = c.LoraRegion;
            lora["fair_use_s_per_day"] = (long)c.LoraFairUseSecondsPerDay;
            transport["lora"] = lora;
            var cell = new Hashtable();
            cell["apn"] = c.CellularApn;
            cell["user"] = c.CellularUser;
            cell["password"] = c.CellularPassword;
            cell["mode"] = CellularModeNames[(int)c.CellularMode];
            transport["cellular"] = cell;
            var mqtt = new Hashtable();
            mqtt["host"] = c.MqttHost;
            mqtt["port"] = (long)c.MqttPort;
            mqtt["tls"] = c.MqttTls;
            transport["mqtt"] = mqtt;
            root["transport"] = transport;

            var uplink = new Hashtable();
            uplink["max_at_risk"] = (long)c.MaxReadingsAtRisk;
            uplink["alive_time"] = ClockTime(c.AliveMinuteOfDay);
            root["uplink"] = uplink;

            var keys = new Hashtable();
            keys["key_id"] = (long)c.KeyId;
            root["keys"] = keys;
            return root;
        }

        private static string ClockTime(int minuteOfDay)
        {
            int h = minuteOfDay / 60;
            int m = minuteOfDay % 60;
            var chars = new char[] { (char)('0' + (h / 10)), (char)('0' + (h % 10)), ':', (char)('0' + (m / 10)), (char)('0' + (m % 10)) };
            return new string(chars);
        }
    }
}
