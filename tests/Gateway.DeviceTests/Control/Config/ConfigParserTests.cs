using Gateway.Control.Config;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Control.Config
{
    /// <summary>
    /// The configuration on the device (firmware/Gateway.Control/Config, schema in CONFIG.md): the documented
    /// example parsed and validated field by field with its Japanese site name and coordinates, a round trip
    /// through the canonical writer, and bad documents refused with every error at its JSON path and kind.
    /// </summary>
    [TestClass]
    public class ConfigParserTests
    {
        private static ConfigErrors Rejected(string json)
        {
            GatewayConfig config = new GatewayConfig();
            ConfigErrors errors = new ConfigErrors();
            Assert.IsFalse(ConfigParser.TryParse(json, config, errors), "accepted: " + json);
            Assert.IsTrue(errors.Count > 0, "no error listed: " + json);
            return errors;
        }

        private static ConfigErrorKind KindAt(ConfigErrors errors, string path)
        {
            for (int i = 0; i < errors.Count; i++)
            {
                if (errors[i].Path == path)
                {
                    return errors[i].Kind;
                }
            }

            Assert.IsTrue(false, "no error at '" + path + "': " + errors.ToString());
            return 0;
        }

        /// <summary>The CONFIG.md example is valid and every field reads as documented; prints the parse's time and heap.</summary>
        [TestMethod]
        public void TheDocumentedExampleIsValidAndReadFieldByField()
        {
            long freeBefore = DeviceFigures.HeapFree();
            long start = DeviceFigures.NowMs();
            GatewayConfig c = new GatewayConfig();
            ConfigErrors errors = new ConfigErrors();
            bool ok = ConfigParser.TryParse(ConfigExample.ExampleJson, c, errors);
            long elapsed = DeviceFigures.NowMs() - start;
            long freeAfter = DeviceFigures.HeapFree();
            Assert.IsTrue(ok, errors.ToString());
            DeviceFigures.Print("config_parse_ms", elapsed);
            DeviceFigures.Print("config_parse_retained_heap_bytes", freeBefore - freeAfter);
            DeviceFigures.Print("config_document_chars", ConfigExample.ExampleJson.Length);

            Assert.AreEqual("kamo-river-03", c.SiteId);
            Assert.AreEqual("加茂川 三条大橋", c.SiteName);
            Assert.AreEqual((byte)SiteKind.River, (byte)c.SiteKind);
            Assert.IsTrue(c.HasLocation);
            Assert.AreEqual(35.0094, c.LatitudeDegrees);
            Assert.AreEqual(135.7714, c.LongitudeDegrees);
            Assert.AreEqual(6200, c.UltrasonicMountHeightMillimeters);
            Assert.AreEqual(300, c.UltrasonicMinMillimeters);
            Assert.AreEqual(7000, c.UltrasonicMaxMillimeters);
            Assert.IsFalse(c.PressureFitted);
            Assert.AreEqual(1200, c.ObservationStartLevelMillimeters);
            Assert.AreEqual(1800, c.StandbyLevelMillimeters);
            Assert.AreEqual(2400, c.CautionLevelMillimeters);
            Assert.AreEqual(3000, c.EvacuationLevelMillimeters);
            Assert.AreEqual(3500, c.DangerLevelMillimeters);
            Assert.AreEqual(300, c.AboveObservationCadenceSeconds);
            Assert.AreEqual(150, c.RiseTriggerMillimetersPer10Minutes);
            Assert.AreEqual((byte)TransportKind.Lora, (byte)c.PrimaryTransport);
            Assert.AreEqual(1, c.FailoverTransports.Length);
            Assert.AreEqual((byte)TransportKind.Cellular, (byte)c.FailoverTransports[0]);
            Assert.AreEqual("iot.example.jp", c.CellularApn);
            Assert.AreEqual("gw.kinki-ix.example.jp", c.MqttHost);
            Assert.AreEqual(8883, c.MqttPort);
            Assert.AreEqual(360, c.AliveMinuteOfDay);
            Assert.AreEqual(1, c.KeyId);
        }

        /// <summary>
        /// The canonical output is ASCII without whitespace between tokens (the Japanese name as \u escapes), reparses to the same
        /// canonical output, and gives back the name and coordinates.
        /// </summary>
        [TestMethod]
        public void CanonicalOutputRoundTripsWithTheJapaneseNameAndCoordinates()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigErrors errors = new ConfigErrors();
            Assert.IsTrue(ConfigParser.TryParse(ConfigExample.ExampleJson, c, errors), errors.ToString());
            string canonical = ConfigWriter.ToJson(c);
            for (int i = 0; i < canonical.Length; i++)
            {
                Assert.IsTrue(canonical[i] < 0x7F && canonical[i] >= ' ', "canonical JSON is printable ASCII, position " + i.ToString());
            }

            Assert.IsTrue(canonical.IndexOf("\": ") < 0 && canonical.IndexOf(", ") < 0 && canonical.IndexOf('\n') < 0, "no whitespace between tokens");
            Assert.IsTrue(canonical.IndexOf("\\u52a0\\u8302\\u5ddd") >= 0, "the Japanese name is written as \\u escapes");

            Assert.IsTrue(canonical.StartsWith("{\"cadence\":{"), "members sorted: " + canonical.Substring(0, 20));
            GatewayConfig again = new GatewayConfig();
            Assert.IsTrue(ConfigParser.TryParse(canonical, again, errors), errors.ToString());
            Assert.AreEqual(canonical, ConfigWriter.ToJson(again));
            Assert.AreEqual("加茂川 三条大橋", again.SiteName);
            Assert.AreEqual(35.0094, again.LatitudeDegrees);
            Assert.AreEqual(135.7714, again.LongitudeDegrees);
            Assert.AreEqual(c.DangerLevelMillimeters, again.DangerLevelMillimeters);
        }

        /// <summary>A document with ten faults is refused with all ten, each at its path with its kind, not only the first.</summary>
        [TestMethod]
        public void EveryBadFieldIsReportedAtItsPath()
        {
            ConfigErrors errors = Rejected("{\"schema\":1,\"site\":{\"id\":\"bad id!\",\"kind\":\"lake\",\"lat\":95},"
                + "\"river\":{\"observation_start_mm\":\"1000\",\"standby_mm\":1500,\"caution_mm\":1400,\"evacuation_mm\":2500},"
                + "\"cadence\":{\"base_s\":900,\"above_observation_s\":200},\"colour\":\"red\"}");
            Assert.AreEqual((byte)ConfigErrorKind.InvalidValue, (byte)KindAt(errors, "site.id"));
            Assert.AreEqual((byte)ConfigErrorKind.InvalidValue, (byte)KindAt(errors, "site.kind"));
            Assert.AreEqual((byte)ConfigErrorKind.OutOfRange, (byte)KindAt(errors, "site.lat"));
            Assert.AreEqual((byte)ConfigErrorKind.MissingField, (byte)KindAt(errors, "site.lon"));
            Assert.AreEqual((byte)ConfigErrorKind.WrongType, (byte)KindAt(errors, "river.observation_start_mm"));
            Assert.AreEqual((byte)ConfigErrorKind.NotIncreasing, (byte)KindAt(errors, "river.caution_mm"));
            Assert.AreEqual((byte)ConfigErrorKind.MissingField, (byte)KindAt(errors, "river.danger_mm"));
            Assert.AreEqual((byte)ConfigErrorKind.AboveMlitMaximum, (byte)KindAt(errors, "cadence.base_s"));
            Assert.AreEqual((byte)ConfigErrorKind.InvalidValue, (byte)KindAt(errors, "cadence.above_observation_s"));
            Assert.AreEqual((byte)ConfigErrorKind.UnknownField, (byte)KindAt(errors, "colour"));
            Assert.AreEqual(10, errors.Count);
        }

        /// <summary>Each validation rule names its field and kind: missing, wrong type, out of range, inconsistent, invalid names, syntax.</summary>
        [TestMethod]
        public void EachRuleNamesItsFieldAndKind()
        {
            string snow = "{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},";
            string[] docs = new string[]
            {
                "{\"schema\":1,\"site\":{\"kind\":\"river\"}}",
                "{\"schema\":2,\"site\":{\"id\":\"a\",\"kind\":\"snow\"}}",
                "{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"river\"}}",
                snow + "\"snow\":{\"alert_cm_per_h\":5.5}}",
                snow + "\"channels\":{\"inclinometer\":{\"median_count\":4}}}",
                snow + "\"channels\":{\"ultrasonic\":{\"min_mm\":5000,\"max_mm\":5000}}}",
                snow + "\"transport\":{\"primary\":\"cellular\",\"mqtt\":{\"host\":\"h\"}}}",
                snow + "\"transport\":{\"failover\":[\"wifi\",\"wifi\"],\"mqtt\":{\"host\":\"h\"}}}",
                snow + "\"uplink\":{\"alive_time\":\"24:00\"}}",
                snow + "\"keys\":{\"key_id\":256}}",
                snow + "\"channels\":null}",
                "[1,2]",
                "{\"schema\":1,",
            };
            string[] paths = new string[]
            {
                "site.id", "schema", "river", "snow.alert_cm_per_h", "channels.inclinometer.median_count", "channels.ultrasonic.max_mm",
                "transport.cellular.apn", "transport.failover[1]", "uplink.alive_time", "keys.key_id", "channels", "", "",
            };
            ConfigErrorKind[] kinds = new ConfigErrorKind[]
            {
                ConfigErrorKind.MissingField, ConfigErrorKind.InvalidValue, ConfigErrorKind.MissingField, ConfigErrorKind.WrongType,
                ConfigErrorKind.InvalidValue, ConfigErrorKind.Inconsistent, ConfigErrorKind.MissingField, ConfigErrorKind.InvalidValue,
                ConfigErrorKind.InvalidValue, ConfigErrorKind.OutOfRange, ConfigErrorKind.WrongType, ConfigErrorKind.WrongType, ConfigErrorKind.Syntax,
            };
            for (int i = 0; i < docs.Length; i++)
            {
                Assert.AreEqual((byte)kinds[i], (byte)KindAt(Rejected(docs[i]), paths[i]), docs[i]);
            }
        }

        /// <summary>A syntax error says where the reader stopped: the member's path and the character position.</summary>
        [TestMethod]
        public void SyntaxErrorsCarryPathAndPosition()
        {
            ConfigErrors errors = Rejected("{\"schema\":1,\"site\":{\"id\":\"s1\",\"kind\":\"river\"},\"uplink\":{\"max_at_risk\":012}}");
            Assert.AreEqual(1, errors.Count);
            Assert.AreEqual((byte)ConfigErrorKind.Syntax, (byte)errors[0].Kind);
            Assert.AreEqual("uplink.max_at_risk", errors[0].Path);
            Assert.IsTrue(errors[0].Reason.IndexOf("leading zeros") >= 0, errors[0].Reason);
            Assert.IsTrue(errors[0].Reason.IndexOf("at character") >= 0, errors[0].Reason);
        }
    }
}
