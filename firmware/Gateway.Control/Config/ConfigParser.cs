using System.Collections;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>
    /// Reads and validates a configuration document (schema in Control/CONFIG.md). Validation continues past the
    /// first problem so that every bad field is reported with its JSON path; cross-field rules (levels strictly
    /// increasing, min below max, cadences) are checked only between fields that are themselves valid.
    /// </summary>
    public static class ConfigParser
    {
        private static readonly string[] TopMembers = { "schema", "site", "channels", "river", "cadence", "snow", "slope", "transport", "uplink", "keys" };
        private static readonly string[] SiteMembers = { "id", "name", "kind", "lat", "lon" };
        private static readonly string[] ChannelMembers = { "level_offset_mm", "ultrasonic", "pressure", "inclinometer", "battery" };
        private static readonly string[] UltrasonicMembers = { "fitted", "interface", "mount_height_mm", "min_mm", "max_mm", "median_count" };
        private static readonly string[] PressureMembers = { "fitted", "interface", "zero_pa", "span_pa", "sensor_elevation_mm", "min_mm", "max_mm", "median_count" };
        private static readonly string[] InclinometerMembers = { "fitted", "zero_x_mdeg", "zero_y_mdeg", "max_abs_mdeg", "median_count" };
        private static readonly string[] BatteryMembers = { "fitted", "low_mv" };
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
            bool baseOk = v.Cadence(cad, "base_s", P, 10, ref c.BaseCadenceSeconds);
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

        private static void ReadTransport(Validator v, Hashtable root, GatewayConfig c)
        {
            Hashtable tr = v.Section(root, "transport", "", false, TransportMembers);
            bool usesCellular = c.PrimaryTransport == TransportKind.Cellular;
            bool usesMqtt = c.PrimaryTransport != TransportKind.Lora;
            if (tr != null)
            {
                int primary = 0;
                bool primaryOk = v.Name(tr, "primary", "transport", TransportNames, false, ref primary);
                if (primaryOk)
                {
                    c.PrimaryTransport = (TransportKind)(primary + 1);
                }

                // An absent primary is the default one, so it is known too; a bad one is already reported.
                primaryOk = primaryOk || tr["primary"] == null;

                object failover = tr["failover"];
                if (failover != null)
                {
                    var list = failover as ArrayList;
                    if (list == null)
                    {
                        v.Errors.Add("transport.failover", ConfigErrorKind.WrongType, "must be an array of transport names");
                    }
                    else if (list.Count > 2)
                    {
                        v.Errors.Add("transport.failover", ConfigErrorKind.OutOfRange, "at most 2 entries");
                    }
                    else
                    {
                        var kinds = new TransportKind[list.Count];
                        bool allOk = true;
                        for (int i = 0; i < list.Count; i++)
                        {
                            string path = "transport.failover[" + i.ToString() + "]";
                            var s = list[i] as string;
                            int index = s == null ? -1 : IndexOf(TransportNames, s);
                            if (s == null)
                            {
                                v.Errors.Add(path, ConfigErrorKind.WrongType, "must be a string: lora, cellular or wifi");
                                allOk = false;
                                continue;
                            }

                            if (index < 0)
                            {
                                v.Errors.Add(path, ConfigErrorKind.InvalidValue, "must be lora, cellular or wifi");
                                allOk = false;
                                continue;
                            }

                            kinds[i] = (TransportKind)(index + 1);
                            if (primaryOk && kinds[i] == c.PrimaryTransport)
                            {
                                v.Errors.Add(path, ConfigErrorKind.InvalidValue, "repeats the primary transport");
                                allOk = false;
                            }

                            for (int j = 0; j < i; j++)
                            {
                                if (kinds[j] == kinds[i])
                                {
                                    v.Errors.Add(path, ConfigErrorKind.InvalidValue, "repeats transport.failover[" + j.ToString() + "]");
                                    allOk = false;
                                }
                            }
                        }

                        if (allOk)
                        {
                            c.FailoverTransports = kinds;
                        }
                    }
                }

                usesCellular = c.PrimaryTransport == TransportKind.Cellular || Contains(c.FailoverTransports, TransportKind.Cellular);
                usesMqtt = usesCellular || c.PrimaryTransport == TransportKind.Wifi || Contains(c.FailoverTransports, TransportKind.Wifi);

                Hashtable lora = v.Section(tr, "lora", "transport", false, LoraMembers);
                if (lora != null)
                {
                    string region = null;
                    if (v.Text(lora, "region", "transport.lora", 1, 16, false, ref region))
                    {
                        if (region != "AS923-1")
                        {
                            v.Errors.Add("transport.lora.region", ConfigErrorKind.InvalidValue, "only AS923-1 (Japan) is supported");
                        }
                        else
                        {
                            c.LoraRegion = region;
                        }
                    }

                    v.Int(lora, "fair_use_s_per_day", "transport.lora", 1, 86400, false, ref c.LoraFairUseSecondsPerDay);
                }

                Hashtable cell = v.Section(tr, "cellular", "transport", false, CellularMembers);
                if (cell != null)
                {
                    v.Text(cell, "apn", "transport.cellular", 0, 63, false, ref c.CellularApn);
                    v.Text(cell, "user", "transport.cellular", 0, 63, false, ref c.CellularUser);
                    v.Text(cell, "password", "transport.cellular", 0, 63, false, ref c.CellularPassword);
                    int mode = 0;
                    if (v.Name(cell, "mode", "transport.cellular", CellularModeNames, false, ref mode))
                    {
                        c.CellularMode = (CellularMode)mode;
                    }
                }

                Hashtable mqtt = v.Section(tr, "mqtt", "transport", false, MqttMembers);
                if (mqtt != null)
                {
                    v.Text(mqtt, "host", "transport.mqtt", 0, 253, false, ref c.MqttHost);
                    v.Int(mqtt, "port", "transport.mqtt", 1, 65535, false, ref c.MqttPort);
                    v.Bool(mqtt, "tls", "transport.mqtt", false, ref c.MqttTls);
                }
            }

            if (usesCellular && c.CellularApn.Length == 0 && !v.Errors.HasPath("transport.cellular.apn"))
            {
                v.Errors.Add("transport.cellular.apn", ConfigErrorKind.MissingField, "required when cellular is a transport");
            }

            if (usesMqtt && c.MqttHost.Length == 0 && !v.Errors.HasPath("transport.mqtt.host"))
            {
                v.Errors.Add("transport.mqtt.host", ConfigErrorKind.MissingField, "required when cellular or wifi is a transport");
            }
        }

        private static void ReadUplink(Validator v, Hashtable root, GatewayConfig c)
        {
            Hashtable up = v.Section(root, "uplink", "", false, UplinkMembers);
            if (up == null)
            {
                return;
            }

            v.Int(up, "max_at_risk", "uplink", 1, 10000, false, ref c.MaxReadingsAtRisk);
            string alive = null;
            if (v.Text(up, "alive_time", "uplink", 5, 5, false, ref alive))
            {
                int minute = ParseClockTime(alive);
                if (minute < 0)
                {
                    v.Errors.Add("uplink.alive_time", ConfigErrorKind.InvalidValue, "must be \"HH:MM\", 00:00..23:59");
                }
                else
                {
                    c.AliveMinuteOfDay = minute;
                }
            }
        }

        /// <summary>Parses "HH:MM" (24 h) to minutes after midnight, or -1.</summary>
        public static int ParseClockTime(string s)
        {
            if (s == null || s.Length != 5 || s[2] != ':')
            {
                return -1;
            }

            for (int i = 0; i < 5; i++)
            {
                if (i != 2 && (s[i] < '0' || s[i] > '9'))
                {
                    return -1;
                }
            }

            int h = ((s[0] - '0') * 10) + (s[1] - '0');
            int m = ((s[3] - '0') * 10) + (s[4] - '0');
            return h > 23 || m > 59 ? -1 : (h * 60) + m;
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

        private static bool Contains(TransportKind[] kinds, TransportKind k)
        {
            for (int i = 0; i < kinds.Length; i++)
            {
                if (kinds[i] == k)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Field readers that record errors with paths and keep going.</summary>
        private sealed class Validator
        {
            public readonly ConfigErrors Errors;

            public Validator(ConfigErrors errors)
            {
                Errors = errors;
            }

            private static string Join(string parent, string name)
            {
                return parent.Length == 0 ? name : parent + "." + name;
            }

            public void CheckMembers(Hashtable obj, string path, string[] known)
            {
                foreach (object key in obj.Keys)
                {
                    var name = (string)key;
                    if (IndexOf(known, name) < 0)
                    {
                        Errors.Add(Join(path, name), ConfigErrorKind.UnknownField, "unknown field");
                    }
                }
            }

            public Hashtable Section(Hashtable parent, string name, string parentPath, bool required, string[] known)
            {
                string path = Join(parentPath, name);
                object o = parent[name];
                if (o == null)
                {
                    if (required)
                    {
                        Errors.Add(path, ConfigErrorKind.MissingField, "required section is missing");
                    }

                    return null;
                }

                var h = o as Hashtable;
                if (h == null)
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be an object");
                    return null;
                }

                CheckMembers(h, path, known);
                return h;
            }

            private bool Present(Hashtable obj, string name, string path, bool required, out object value)
            {
                value = obj[name];
                if (value == null)
                {
                    if (required)
                    {
                        Errors.Add(path, ConfigErrorKind.MissingField, "required field is missing");
                    }

                    return false;
                }

                return true;
            }

            public bool Int(Hashtable obj, string name, string parentPath, int min, int max, bool required, ref int field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return !required;
                }

                long value;
                if (o is long)
                {
                    value = (long)o;
                }
                else if (o is double)
                {
                    double d = (double)o;
                    if (d != System.Math.Floor(d))
                    {
                        Errors.Add(path, ConfigErrorKind.WrongType, "must be an integer");
                        return false;
                    }

                    if (d < min || d > max)
                    {
                        Errors.Add(path, ConfigErrorKind.OutOfRange, RangeText(min, max));
                        return false;
                    }

                    value = (long)d;
                }
                else
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be an integer, not " + TypeName(o));
                    return false;
                }

                if (value < min || value > max)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, RangeText(min, max));
                    return false;
                }

                field = (int)value;
                return true;
            }

            public bool Cadence(Hashtable obj, string name, string parentPath, int min, ref int field)
            {
                string path = Join(parentPath, name);
                object o = obj[name];
                int candidate = field;
                if (o != null && (o is long || o is double))
                {
                    double d = o is long ? (long)o : (double)o;
                    if (d > GatewayConfig.MlitMaximumBaseCadenceSeconds)
                    {
                        Errors.Add(path, ConfigErrorKind.AboveMlitMaximum, "longer than the MLIT maximum of 600 s");
                        return false;
                    }
                }

                if (!Int(obj, name, parentPath, min, GatewayConfig.MlitMaximumBaseCadenceSeconds, false, ref candidate))
                {
                    return false;
                }

                field = candidate;
                return true;
            }

            public bool Number(Hashtable obj, string name, string parentPath, double min, double max, bool required, ref double field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return false;
                }

                double d;
                if (o is long)
                {
                    d = (long)o;
                }
                else if (o is double)
                {
                    d = (double)o;
                }
                else
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be a number, not " + TypeName(o));
                    return false;
                }

                if (d < min || d > max)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, "must be within " + min.ToString() + ".." + max.ToString());
                    return false;
                }

                field = d;
                return true;
            }

            public bool Bool(Hashtable obj, string name, string parentPath, bool required, ref bool field)
            {
                string path = Join(parentPath, name);
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return !required;
                }

                if (!(o is bool))
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be true or false, not " + TypeName(o));
                    return false;
                }

                field = (bool)o;
                return true;
            }

            /// <summary>The member as a string; false (with MissingField or WrongType recorded as due) otherwise.</summary>
            private bool TryString(Hashtable obj, string name, string path, bool required, out string s)
            {
                s = null;
                object o;
                if (!Present(obj, name, path, required, out o))
                {
                    return false;
                }

                s = o as string;
                if (s == null)
                {
                    Errors.Add(path, ConfigErrorKind.WrongType, "must be a string, not " + TypeName(o));
                    return false;
                }

                return true;
            }

            public bool Text(Hashtable obj, string name, string parentPath, int minLength, int maxLength, bool required, ref string field)
            {
                string path = Join(parentPath, name);
                string s;
                if (!TryString(obj, name, path, required, out s))
                {
                    return false;
                }

                if (s.Length < minLength || s.Length > maxLength)
                {
                    Errors.Add(path, ConfigErrorKind.OutOfRange, "length must be " + minLength.ToString() + ".." + maxLength.ToString() + " characters");
                    return false;
                }

                for (int i = 0; i < s.Length; i++)
                {
                    if (s[i] < ' ')
                    {
                        Errors.Add(path, ConfigErrorKind.InvalidValue, "control characters are not allowed");
                        return false;
                    }
                }

                field = s;
                return true;
            }

            public bool Name(Hashtable obj, string name, string parentPath, string[] allowed, bool required, ref int index)
            {
                string path = Join(parentPath, name);
                string s;
                if (!TryString(obj, name, path, required, out s))
                {
                    return false;
                }

                int i = IndexOf(allowed, s);
                if (i < 0)
                {
                    var sb = new System.Text.StringBuilder("must be one of: ");
                    for (int k = 0; k < allowed.Length; k++)
                    {
                        if (k > 0)
                        {
                            sb.Append(", ");
                        }

                        sb.Append(allowed[k]);
                    }

                    Errors.Add(path, ConfigErrorKind.InvalidValue, sb.ToString());
                    return false;
                }

                index = i;
                return true;
            }

            public void MedianCount(Hashtable obj, string parentPath, ref int field)
            {
                int n = field;
                if (Int(obj, "median_count", parentPath, 1, 15, false, ref n))
                {
                    if ((n & 1) == 0)
                    {
                        Errors.Add(Join(parentPath, "median_count"), ConfigErrorKind.InvalidValue, "must be odd (a median needs a middle value)");
                    }
                    else
                    {
                        field = n;
                    }
                }
            }

            public void MinBelowMax(bool minOk, bool maxOk, int min, int max, string parentPath)
            {
                if (minOk && maxOk && min >= max)
                {
                    Errors.Add(Join(parentPath, "max_mm"), ConfigErrorKind.Inconsistent, "must be greater than " + Join(parentPath, "min_mm") + " (" + min.ToString() + ")");
                }
            }

            public void Increasing(bool bothOk, string lowerPath, int lower, string higherPath, int higher)
            {
                if (bothOk && higher <= lower)
                {
                    Errors.Add(higherPath, ConfigErrorKind.NotIncreasing, "must be greater than " + lowerPath + " (" + lower.ToString() + " mm)");
                }
            }

            private static string RangeText(int min, int max)
            {
                return "must be within " + min.ToString() + ".." + max.ToString();
            }

            private static string TypeName(object o)
            {
                if (o is string)
                {
                    return "a string";
                }

                if (o is bool)
                {
                    return "a boolean";
                }

                if (o is Hashtable)
                {
                    return "an object";
                }

                if (o is ArrayList)
                {
                    return "an array";
                }

                if (o is JsonNull)
                {
                    return "null";
                }

                return "a number";
            }
        }
    }
}
