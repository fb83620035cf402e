namespace Gateway.Control.Config
{
    /// <summary>
    /// The gateway's configuration as plain fields (units in the names). The JSON document, its ranges and its
    /// defaults are described in Control/CONFIG.md; <see cref="ConfigParser"/> fills an instance from JSON and
    /// <see cref="ConfigWriter"/> writes it back as canonical JSON. A freshly constructed instance holds the defaults
    /// (it is not a complete configuration: a site id is required).
    /// </summary>
    public sealed class GatewayConfig
    {
        /// <summary>The schema version this code reads and writes.</summary>
        public const int CurrentSchemaVersion = 1;

        /// <summary>MLIT crisis-management gauge rule: below the observation-start level, measure at least every 600 s.</summary>
        public const int MlitMaximumBaseCadenceSeconds = 600;

        // ---- schema and site

        /// <summary>schema: document schema version (1).</summary>
        public int SchemaVersion = CurrentSchemaVersion;

        /// <summary>site.id: the town's station id, 1..32 chars of A-Z a-z 0-9 '-' '_'.</summary>
        public string SiteId = "";

        /// <summary>site.name: human-readable station name, 0..64 chars.</summary>
        public string SiteName = "";

        /// <summary>site.kind: river, snow or slope.</summary>
        public SiteKind SiteKind = SiteKind.River;

        /// <summary>True when site.lat and site.lon are given.</summary>
        public bool HasLocation;

        /// <summary>site.lat: latitude in decimal degrees (WGS84), -90..90.</summary>
        public double LatitudeDegrees;

        /// <summary>site.lon: longitude in decimal degrees (WGS84), -180..180.</summary>
        public double LongitudeDegrees;

        // ---- channels

        /// <summary>channels.level_offset_mm: added to the computed level (set by the console's reference-level), -100000..100000 mm.</summary>
        public int LevelOffsetMillimeters;

        /// <summary>channels.ultrasonic.fitted.</summary>
        public bool UltrasonicFitted = true;

        /// <summary>channels.ultrasonic.interface: uart or echo.</summary>
        public UltrasonicInterface UltrasonicInterface = UltrasonicInterface.Uart;

        /// <summary>channels.ultrasonic.mount_height_mm: sensor face above the gauge zero (river) or the bare ground (snow), 100..20000 mm.</summary>
        public int UltrasonicMountHeightMillimeters = 5000;

        /// <summary>channels.ultrasonic.min_mm: shortest distance accepted (the sensor's blanking distance), 0..20000 mm.</summary>
        public int UltrasonicMinMillimeters = 250;

        /// <summary>channels.ultrasonic.max_mm: longest distance accepted, 0..20000 mm, greater than min_mm.</summary>
        public int UltrasonicMaxMillimeters = 7500;

        /// <summary>channels.ultrasonic.median_count: echoes per sample, median taken, odd, 1..15.</summary>
        public int UltrasonicMedianCount = 5;

        /// <summary>channels.pressure.fitted.</summary>
        public bool PressureFitted;

        /// <summary>channels.pressure.interface: current_4_20ma or ratiometric.</summary>
        public PressureInterface PressureInterface = PressureInterface.CurrentLoop4To20mA;

        /// <summary>channels.pressure.zero_pa: pressure at the lowest signal (4 mA or 10 %), -200000..200000 Pa.</summary>
        public int PressureZeroPascals;

        /// <summary>channels.pressure.span_pa: pressure change from lowest to highest signal, 1000..2000000 Pa.</summary>
        public int PressureSpanPascals = 100000;

        /// <summary>channels.pressure.sensor_elevation_mm: transducer elevation above the gauge zero, -50000..50000 mm.</summary>
        public int PressureSensorElevationMillimeters;

        /// <summary>channels.pressure.min_mm: lowest level accepted from the transducer, -50000..50000 mm.</summary>
        public int PressureMinMillimeters;

        /// <summary>channels.pressure.max_mm: highest level accepted from the transducer, -50000..50000 mm, greater than min_mm.</summary>
        public int PressureMaxMillimeters = 10000;

        /// <summary>channels.pressure.median_count: conversions per sample, median taken, odd, 1..15.</summary>
        public int PressureMedianCount = 5;

        /// <summary>channels.inclinometer.fitted.</summary>
        public bool InclinometerFitted;

        /// <summary>channels.inclinometer.zero_x_mdeg: X tilt at installation (set by zero-tilt), -90000..90000 millidegrees.</summary>
        public int InclinometerZeroXMillidegrees;

        /// <summary>channels.inclinometer.zero_y_mdeg: Y tilt at installation, -90000..90000 millidegrees.</summary>
        public int InclinometerZeroYMillidegrees;

        /// <summary>channels.inclinometer.max_abs_mdeg: largest plausible tilt from zero, 1000..90000 millidegrees.</summary>
        public int InclinometerMaxAbsMillidegrees = 30000;

        /// <summary>channels.inclinometer.median_count: readings per sample, median taken, odd, 1..15.</summary>
        public int InclinometerMedianCount = 5;

        /// <summary>channels.battery.fitted.</summary>
        public bool BatteryFitted = true;

        /// <summary>channels.battery.low_mv: battery voltage that raises the low-battery flag, 2500..15000 mV.</summary>
        public int BatteryLowMillivolts = 3400;

        /// <summary>channels.battery.primary: a Li-SOCl2 primary cell (true) or a rechargeable Li-ion cell on the solar kit (false).</summary>
        public bool BatteryPrimary;

        // ---- river levels (millimetres above the gauge zero)

        /// <summary>river.observation_start_mm: 観測開始水位, 0..50000 mm.</summary>
        public int ObservationStartLevelMillimeters = 1000;

        /// <summary>river.standby_mm: 水防団待機水位, greater than observation_start_mm.</summary>
        public int StandbyLevelMillimeters = 1500;

        /// <summary>river.caution_mm: はん濫注意水位, greater than standby_mm.</summary>
        public int CautionLevelMillimeters = 2000;

        /// <summary>river.evacuation_mm: 避難判断水位, greater than caution_mm.</summary>
        public int EvacuationLevelMillimeters = 2500;

        /// <summary>river.danger_mm: はん濫危険水位, greater than evacuation_mm.</summary>
        public int DangerLevelMillimeters = 3000;

        /// <summary>river.hysteresis_mm: a level must fall this far below a threshold to clear it, 0..1000 mm.</summary>
        public int LevelHysteresisMillimeters = 50;

        // ---- cadences

        /// <summary>cadence.base_s: sampling period below the observation-start level, 120..600 s (MLIT maximum 600 s), not shorter than cadence.above_observation_s.</summary>
        public int BaseCadenceSeconds = 600;

        /// <summary>cadence.above_observation_s: measure-and-send period above observation start: 600, 300 or 120 s, not above base_s.</summary>
        public int AboveObservationCadenceSeconds = 600;

        /// <summary>cadence.rise_trigger_mm_per_10min: a rise this fast switches to the fastest cadence, 0 (off)..5000 mm.</summary>
        public int RiseTriggerMillimetersPer10Minutes = 100;

        /// <summary>cadence.trial_periods: sampling periods a trial configuration may run without a successful uplink before it is reverted, 1..100.</summary>
        public int TrialPeriods = 3;

        // ---- snow and slope

        /// <summary>snow.alert_cm_per_h: snowfall rate that raises an alert, 0 (off)..100 cm/h.</summary>
        public int SnowAlertCentimetersPerHour = 5;

        /// <summary>slope.tilt_alarm_mdeg_per_h: tilt rate alarm over one hour, 0 (off)..90000 millidegrees/h.</summary>
        public int TiltAlarmMillidegreesPerHour = 500;

        /// <summary>slope.tilt_alarm_mdeg_per_day: tilt rate alarm over 24 h, 0 (off)..90000 millidegrees/day.</summary>
        public int TiltAlarmMillidegreesPerDay = 2000;

        // ---- transport

        /// <summary>transport.primary: lora, cellular or wifi.</summary>
        public TransportKind PrimaryTransport = TransportKind.Lora;

        /// <summary>transport.failover: further transports in the order they are tried (no repeats, not the primary), 0..2 entries.</summary>
        public TransportKind[] FailoverTransports = new TransportKind[0];

        /// <summary>transport.lora.region: the LoRaWAN regional plan; only "AS923-1" (Japan) is accepted.</summary>
        public string LoraRegion = "AS923-1";

        /// <summary>transport.lora.fair_use_s_per_day: airtime budget the uplink may use per day, 1..86400 s.</summary>
        public int LoraFairUseSecondsPerDay = 30;

        /// <summary>transport.cellular.apn: access point name, 0..63 chars; required when cellular is used.</summary>
        public string CellularApn = "";

        /// <summary>transport.cellular.user: APN user name, 0..63 chars ("" = none).</summary>
        public string CellularUser = "";

        /// <summary>transport.cellular.password: APN password, 0..63 chars ("" = none; an APN credential, not a secret key).</summary>
        public string CellularPassword = "";

        /// <summary>transport.cellular.mode: catm, nbiot or both.</summary>
        public CellularMode CellularMode = CellularMode.CatM;

        /// <summary>transport.mqtt.host: broker host name, 0..253 chars; required when cellular or wifi is used.</summary>
        public string MqttHost = "";

        /// <summary>transport.mqtt.port: broker TCP port, 1..65535.</summary>
        public int MqttPort = 8883;

        /// <summary>transport.mqtt.tls: use TLS to the broker.</summary>
        public bool MqttTls = true;

        // ---- uplink and keys

        /// <summary>uplink.max_at_risk: most readings stored but not yet acknowledged before sending is forced, 1..10000.</summary>
        public int MaxReadingsAtRisk = 144;

        /// <summary>uplink.alive_time: daily alive message time, minutes after local midnight (JST), written "HH:MM".</summary>
        public int AliveMinuteOfDay = 360;

        /// <summary>keys.key_id: id of the provisioned device key batches are signed with, 1..255 (the key itself is never in the configuration).</summary>
        public int KeyId = 1;

        /// <summary>A field-by-field copy (the failover array is copied too).</summary>
        public GatewayConfig Clone()
        {
            var copy = (GatewayConfig)MemberwiseClone();
            copy.FailoverTransports = (TransportKind[])FailoverTransports.Clone();
            return copy;
        }
    }
}
