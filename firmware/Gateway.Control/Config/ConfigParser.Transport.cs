using System.Collections;
using Gateway.Control.Json;

namespace Gateway.Control.Config
{
    /// <summary>The transport and uplink sections: primary and failover, LoRaWAN, cellular, MQTT, batching and alive time.</summary>
    public static partial class ConfigParser
    {
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
    }
}
