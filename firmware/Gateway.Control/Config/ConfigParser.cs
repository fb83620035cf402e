using System.Collections;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Reads and validates a configuration document (schema in Control/CONFIG.md). Validation continues past the
    /// first problem so that every bad field is reported with its JSON path; cross-field rules (levels strictly
    /// increasing, min below max, cadences) are checked only between fields that are themselves valid.
    /// </summary>
    public static partial class ConfigParser
    {
        private static readonly string[] TopMembers = { "schema", "site", "channels", "river", "cadence", "snow", "slope", "transport", "uplink", "keys" };
        private static readonly string[] SiteMembers = { "id", "name", "kind", "lat", "lon" };
        private static readonly string[] ChannelMembers = { "level_offset_mm", "ultrasonic", "pressure", "inclinometer", "battery" };
        private static readonly string[] UltrasonicMembers = { "fitted", "interface", "mount_height_mm", "min_mm", "max_mm", "median_count" };
        private static readonly string[] PressureMembers = { "fitted", "interface", "zero_pa", "span_pa", "sensor_elevation_mm", "min_mm", "max_mm", "median_count" };
        private static readonly string[] InclinometerMembers = { "fitted", "zero_x_mdeg", "zero_y_mdeg", "max_abs_mdeg", "median_count" };
        private static readonly string[] BatteryMembers = { "fitted", "low_mv", "primary" };
        private static readonly string[] RiverMembers = { "observation_start_mm", "standby_mm", "caution_mm", "evacuation_mm", "danger_mm", "hysteresis_mm" };
        private static readonly string[] CadenceMembers = { "base_s", "above_observation_s", "rise_trigger_mm_per_10min", "trial_periods" };
        private static readonly string[] SnowMembers = { "alert_cm_per_h" };
        private static readonly string[] SlopeMembers = { "tilt_alarm_mdeg_per_h", "tilt_alarm_mdeg_per_day" };
        private static readonly string[] TransportMembers = { "primary", "failover", "lora", "cellular", "mqtt" };
        private static readonly string[] LoraMembers = { "region", "fair_use_s_per_day" };
        private static readonly string[] CellularMembers = { "apn", "user", "password", "mode" };
        private static readonly string[] CellularModeNames = { "catm", "nbiot", "both" };
        private static readonly string[] MqttMembers = { "host", "port", "tls" };
        private static readonly string[] UplinkMembers = { "max_at_risk", "alive_time" };
        private static readonly string[] KeysMembers = { "key_id" };

        private static readonly string[] SiteKindNames = { "river", "snow", "slope" };
        private static readonly string[] TransportNames = { "lora", "cellular", "wifi" };
        private static readonly string[] UltrasonicInterfaceNames = { "uart", "echo" };
        private static readonly string[] PressureInterfaceNames = { "current_4_20ma", "ratiometric" };

        /// <summary>Largest configuration document accepted, in characters.</summary>
        public const int MaxDocumentChars = 8192;

        /// <summary>
        /// Parses and validates <paramref name="json"/> into <paramref name="result"/>, which should be a freshly
        /// constructed <see cref="GatewayConfig"/> (absent optional fields keep its defaults). On failure the
        /// contents of <paramref name="result"/> are unspecified and must not be used; <paramref name="errors"/>
        /// lists every problem. Never throws on bad input.
        /// </summary>
        /// <returns>True when the document is a valid configuration.</returns>
        public static bool TryParse(string json, GatewayConfig result, ConfigErrors errors)
        {
            int before = errors.Total;
            var reader = new JsonReader(16, MaxDocumentChars, 256);
            object tree;
            if (!reader.TryParse(json, out tree))
            {
                errors.Add(reader.ErrorPath, ConfigErrorKind.Syntax, reader.ErrorMessage + " at character " + reader.ErrorPosition.ToString());
                return false;
            }

            return TryApplyTree(tree, result, errors) && errors.Total == before;
        }

        /// <summary>Validates an already parsed JSON tree into <paramref name="result"/> (see <see cref="TryParse"/>).</summary>
        public static bool TryApplyTree(object tree, GatewayConfig result, ConfigErrors errors)
        {
            int before = errors.Total;
            var root = tree as Hashtable;
            if (root == null)
            {
                errors.Add("", ConfigErrorKind.WrongType, "the configuration must be a JSON object");
                return false;
            }

            var v = new Validator(errors);
            v.CheckMembers(root, "", TopMembers);

            int schema = 0;
            if (v.Int(root, "schema", "", 0, 1000, true, ref schema) && schema != GatewayConfig.CurrentSchemaVersion)
            {
                errors.Add("schema", ConfigErrorKind.InvalidValue, "unsupported schema version " + schema.ToString() + " (this firmware reads " + GatewayConfig.CurrentSchemaVersion.ToString() + ")");
            }

            result.SchemaVersion = schema;
            ReadSite(v, root, result);
            ReadChannels(v, root, result);
            ReadRiver(v, root, result);
            ReadCadence(v, root, result);

            Hashtable snow = v.Section(root, "snow", "", false, SnowMembers);
            if (snow != null)
            {
                v.Int(snow, "alert_cm_per_h", "snow", 0, 100, false, ref result.SnowAlertCentimetersPerHour);
            }

            Hashtable slope = v.Section(root, "slope", "", false, SlopeMembers);
            if (slope != null)
            {
                v.Int(slope, "tilt_alarm_mdeg_per_h", "slope", 0, 90000, false, ref result.TiltAlarmMillidegreesPerHour);
                v.Int(slope, "tilt_alarm_mdeg_per_day", "slope", 0, 90000, false, ref result.TiltAlarmMillidegreesPerDay);
            }

            ReadTransport(v, root, result);
            ReadUplink(v, root, result);

            Hashtable keys = v.Section(root, "keys", "", false, KeysMembers);
            if (keys != null)
            {
                v.Int(keys, "key_id", "keys", 1, 255, false, ref result.KeyId);
            }

            return errors.Total == before;
        }

        // ------------------------------------------------------------------ sections

        private static void ReadSite(Validator v, Hashtable root, GatewayConfig c)
        {
            Hashtable site = v.Section(root, "site", "", true, SiteMembers);
            if (site == null)
            {
                return;
            }

            string id = null;
            if (v.Text(site, "id", "site", 1, 32, true, ref id))
            {
                for (int i = 0; i < id.Length; i++)
                {
                    char ch = id[i];
                    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
                    if (!ok)
                    {
                        v.Errors.Add("site.id", ConfigErrorKind.InvalidValue, "only letters, digits, '-' and '_' are allowed");
                        break;
                    }
                }

                c.SiteId = id;
            }

            v.Text(site, "name", "site", 0, 64, false, ref c.SiteName);
            int kind = 0;
            if (v.Name(site, "kind", "site", SiteKindNames, true, ref kind))
            {
                c.SiteKind = (SiteKind)(kind + 1);
            }

            bool hasLat = v.Number(site, "lat", "site", -90.0, 90.0, false, ref c.LatitudeDegrees);
            bool hasLon = v.Number(site, "lon", "site", -180.0, 180.0, false, ref c.LongitudeDegrees);
            bool latGiven = site.Contains("lat");
            bool lonGiven = site.Contains("lon");
            if (latGiven && !lonGiven)
            {
                v.Errors.Add("site.lon", ConfigErrorKind.MissingField, "required when site.lat is given");
            }
            else if (lonGiven && !latGiven)
            {
                v.Errors.Add("site.lat", ConfigErrorKind.MissingField, "required when site.lon is given");
            }

            c.HasLocation = hasLat && hasLon;
        }

        private static void ReadChannels(Validator v, Hashtable root, GatewayConfig c)
        {
            Hashtable ch = v.Section(root, "channels", "", false, ChannelMembers);
            if (ch == null)
            {
                return;
            }

            v.Int(ch, "level_offset_mm", "channels", -100000, 100000, false, ref c.LevelOffsetMillimeters);

            Hashtable us = v.Section(ch, "ultrasonic", "channels", false, UltrasonicMembers);
            if (us != null)
            {
                const string P = "channels.ultrasonic";
                v.Bool(us, "fitted", P, false, ref c.UltrasonicFitted);
                int iface = 0;
                if (v.Name(us, "interface", P, UltrasonicInterfaceNames, false, ref iface))
                {
                    c.UltrasonicInterface = (UltrasonicInterface)(iface + 1);
                }

                v.Int(us, "mount_height_mm", P, 100, 20000, false, ref c.UltrasonicMountHeightMillimeters);
                bool minOk = v.Int(us, "min_mm", P, 0, 20000, false, ref c.UltrasonicMinMillimeters);
                bool maxOk = v.Int(us, "max_mm", P, 0, 20000, false, ref c.UltrasonicMaxMillimeters);
                v.MinBelowMax(minOk, maxOk, c.UltrasonicMinMillimeters, c.UltrasonicMaxMillimeters, P);
                v.MedianCount(us, P, ref c.UltrasonicMedianCount);
            }

            Hashtable pr = v.Section(ch, "pressure", "channels", false, PressureMembers);
            if (pr != null)
            {
                const string P = "channels.pressure";
                v.Bool(pr, "fitted", P, false, ref c.PressureFitted);
                int iface = 0;
                if (v.Name(pr, "interface", P, PressureInterfaceNames, false, ref iface))
                {
                    c.PressureInterface = (PressureInterface)(iface + 1);
                }

                v.Int(pr, "zero_pa", P, -200000, 200000, false, ref c.PressureZeroPascals);
                v.Int(pr, "span_pa", P, 1000, 2000000, false, ref c.PressureSpanPascals);
                v.Int(pr, "sensor_elevation_mm", P, -50000, 50000, false, ref c.PressureSensorElevationMillimeters);
                bool minOk = v.Int(pr, "min_mm", P, -50000, 50000, false, ref c.PressureMinMillimeters);
                bool maxOk = v.Int(pr, "max_mm", P, -50000, 50000, false, ref c.PressureMaxMillimeters);
                v.MinBelowMax(minOk, maxOk, c.PressureMinMillimeters, c.PressureMaxMillimeters, P);
                v.MedianCount(pr, P, ref c.PressureMedianCount);
            }

            Hashtable inc = v.Section(ch, "inclinometer", "channels", false, InclinometerMembers);
            if (inc != null)
            {
                const string P = "channels.inclinometer";
                v.Bool(inc, "fitted", P, false, ref c.InclinometerFitted);
                v.Int(inc, "zero_x_mdeg", P, -90000, 90000, false, ref c.InclinometerZeroXMillidegrees);
                v.Int(inc, "zero_y_mdeg", P, -90000, 90000, false, ref c.InclinometerZeroYMillidegrees);
                v.Int(inc, "max_abs_mdeg", P, 1000, 90000, false, ref c.InclinometerMaxAbsMillidegrees);
                v.MedianCount(inc, P, ref c.InclinometerMedianCount);
            }

            Hashtable bat = v.Section(ch, "battery", "channels", false, BatteryMembers);
            if (bat != null)
            {
                v.Bool(bat, "fitted", "channels.battery", false, ref c.BatteryFitted);
                v.Int(bat, "low_mv", "channels.battery", 2500, 15000, false, ref c.BatteryLowMillivolts);
                v.Bool(bat, "primary", "channels.battery", false, ref c.BatteryPrimary);
            }
        }

        private static void ReadRiver(Validator v, Hashtable root, GatewayConfig c)
        {
            bool isRiver = c.SiteKind == SiteKind.River;
            Hashtable river = v.Section(root, "river", "", isRiver, RiverMembers);
            if (river == null)
            {
                return;
            }

            // Levels are required for a river site: a gauge with made-up thresholds would raise false alarms.
            const string P = "river";
            bool a = v.Int(river, "observation_start_mm", P, 0, 50000, isRiver, ref c.ObservationStartLevelMillimeters);
            bool b = v.Int(river, "standby_mm", P, 0, 50000, isRiver, ref c.StandbyLevelMillimeters);
            bool d = v.Int(river, "caution_mm", P, 0, 50000, isRiver, ref c.CautionLevelMillimeters);
            bool e = v.Int(river, "evacuation_mm", P, 0, 50000, isRiver, ref c.EvacuationLevelMillimeters);
            bool f = v.Int(river, "danger_mm", P, 0, 50000, isRiver, ref c.DangerLevelMillimeters);
            v.Int(river, "hysteresis_mm", P, 0, 1000, false, ref c.LevelHysteresisMillimeters);

            v.Increasing(a && b, "river.observation_start_mm", c.ObservationStartLevelMillimeters, "river.standby_mm", c.StandbyLevelMillimeters);
            v.Increasing(b && d, "river.standby_mm", c.StandbyLevelMillimeters, "river.caution_mm", c.CautionLevelMillimeters);
            v.Increasing(d && e, "river.caution_mm", c.CautionLevelMillimeters, "river.evacuation_mm", c.EvacuationLevelMillimeters);
            v.Increasing(e && f, "river.evacuation_mm", c.EvacuationLevelMillimeters, "river.danger_mm", c.DangerLevelMillimeters);
        }

        private static void ReadCadence(Validator v, Hashtable root, GatewayConfig c)
        {
            Hashtable cad = v.Section(root, "cadence", "", false, CadenceMembers);
            if (cad == null)
            {
                return;
            }

            const string P = "cadence";
            // 120 s floor: base_s may not be shorter than above_observation_s, whose shortest allowed value is 120 s.
            bool baseOk = v.Cadence(cad, "base_s", P, 120, ref c.BaseCadenceSeconds);
            int above = c.AboveObservationCadenceSeconds;
            bool aboveOk = v.Cadence(cad, "above_observation_s", P, 120, ref above);
            if (aboveOk && above != 600 && above != 300 && above != 120)
            {
                v.Errors.Add("cadence.above_observation_s", ConfigErrorKind.InvalidValue, "must be 600, 300 or 120 s (MLIT: large, small, rapidly rising rivers)");
                aboveOk = false;
            }

            if (aboveOk)
            {
                c.AboveObservationCadenceSeconds = above;
            }

            if (baseOk && aboveOk && c.AboveObservationCadenceSeconds > c.BaseCadenceSeconds)
            {
                v.Errors.Add("cadence.above_observation_s", ConfigErrorKind.Inconsistent, "must not be longer than cadence.base_s (" + c.BaseCadenceSeconds.ToString() + " s)");
            }

            v.Int(cad, "rise_trigger_mm_per_10min", P, 0, 5000, false, ref c.RiseTriggerMillimetersPer10Minutes);
            v.Int(cad, "trial_periods", P, 1, 100, false, ref c.TrialPeriods);
        }

        internal static int IndexOf(string[] names, string s)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == s)
                {
                    return i;
                }
            }

            return -1;
        }

    }
}
