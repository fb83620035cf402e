using System.IO;
using System.Linq;
using Gateway.Control.Config;
using Xunit;

namespace Gateway.Tests.Control
{
    public class ConfigParserTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public ConfigParserTests(Xunit.Abstractions.ITestOutputHelper output)
        {
            _output = output;
        }

        private static (bool Ok, GatewayConfig Config, ConfigErrors Errors) Parse(string json)
        {
            var config = new GatewayConfig();
            var errors = new ConfigErrors();
            var ok = ConfigParser.TryParse(json, config, errors);
            return (ok, config, errors);
        }

        private static ConfigErrors Rejected(string json)
        {
            var r = Parse(json);
            Assert.False(r.Ok, "accepted: " + json);
            Assert.True(r.Errors.Count > 0);
            return r.Errors;
        }

        private static string WithRiver(string extraMembers) =>
            "{\"schema\":1,\"site\":{\"id\":\"s1\",\"kind\":\"river\"},\"river\":{\"observation_start_mm\":1000,\"standby_mm\":1500,\"caution_mm\":2000,\"evacuation_mm\":2500,\"danger_mm\":3000}"
            + (extraMembers.Length > 0 ? "," + extraMembers : "") + "}";

        [Fact]
        public void The_battery_chemistry_is_read_and_written_back()
        {
            var (ok, c, errors) = Parse(WithRiver("\"channels\":{\"battery\":{\"fitted\":true,\"low_mv\":3300,\"primary\":true}}"));
            Assert.True(ok, errors.ToString());
            Assert.True(c.BatteryPrimary);
            Assert.Equal(3300, c.BatteryLowMillivolts);
            Assert.Contains("\"primary\":true", ConfigWriter.ToJson(c));
            Assert.False(Parse(WithRiver("")).Config.BatteryPrimary);
            Rejected(WithRiver("\"channels\":{\"battery\":{\"primary\":3}}"));
        }

        [Fact]
        public void The_documented_example_is_valid_and_read_field_by_field()
        {
            var (ok, c, errors) = Parse(ConfigDocs.Example);
            Assert.True(ok, errors.ToString());
            Assert.Equal("kamo-river-03", c.SiteId);
            Assert.Equal("加茂川 三条大橋", c.SiteName);
            Assert.Equal(SiteKind.River, c.SiteKind);
            Assert.True(c.HasLocation);
            Assert.Equal(35.0094, c.LatitudeDegrees);
            Assert.Equal(135.7714, c.LongitudeDegrees);
            Assert.Equal(6200, c.UltrasonicMountHeightMillimeters);
            Assert.Equal(300, c.UltrasonicMinMillimeters);
            Assert.Equal(1200, c.ObservationStartLevelMillimeters);
            Assert.Equal(1800, c.StandbyLevelMillimeters);
            Assert.Equal(2400, c.CautionLevelMillimeters);
            Assert.Equal(3000, c.EvacuationLevelMillimeters);
            Assert.Equal(3500, c.DangerLevelMillimeters);
            Assert.Equal(300, c.AboveObservationCadenceSeconds);
            Assert.Equal(150, c.RiseTriggerMillimetersPer10Minutes);
            Assert.Equal(TransportKind.Lora, c.PrimaryTransport);
            Assert.Equal(new[] { TransportKind.Cellular }, c.FailoverTransports);
            Assert.Equal("iot.example.jp", c.CellularApn);
            Assert.Equal(8883, c.MqttPort);
            Assert.Equal(360, c.AliveMinuteOfDay);
            Assert.Equal(1, c.KeyId);
        }

        [Fact]
        public void Cellular_APN_credentials_and_mode_are_read_and_written_back()
        {
            const string json = "{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"primary\":\"cellular\","
                + "\"cellular\":{\"apn\":\"soracom.io\",\"user\":\"sora\",\"password\":\"sora\",\"mode\":\"both\"},\"mqtt\":{\"host\":\"mqtt.town.example\"}}}";
            var (ok, c, errors) = Parse(json);
            Assert.True(ok, errors.ToString());
            Assert.Equal(TransportKind.Cellular, c.PrimaryTransport);
            Assert.Equal("soracom.io", c.CellularApn);
            Assert.Equal("sora", c.CellularUser);
            Assert.Equal("sora", c.CellularPassword);
            Assert.Equal(CellularMode.Both, c.CellularMode);
            var (again, c2, errors2) = Parse(ConfigWriter.ToJson(c));
            Assert.True(again, errors2.ToString());
            Assert.Equal(c.CellularUser, c2.CellularUser);
            Assert.Equal(c.CellularPassword, c2.CellularPassword);
            Assert.Equal(CellularMode.Both, c2.CellularMode);
            Assert.Equal(CellularMode.CatM, new GatewayConfig().CellularMode);
        }

        [Fact]
        public void Minimal_river_document_takes_the_defaults()
        {
            var (ok, c, errors) = Parse(ConfigDocs.River());
            Assert.True(ok, errors.ToString());
            var d = new GatewayConfig();
            Assert.Equal(d.BaseCadenceSeconds, c.BaseCadenceSeconds);
            Assert.Equal(3, c.TrialPeriods);
            Assert.Equal(TransportKind.Lora, c.PrimaryTransport);
            Assert.Empty(c.FailoverTransports);
            Assert.False(c.HasLocation);
        }

        [Fact]
        public void Canonical_output_reparses_to_the_same_canonical_output()
        {
            var (ok, c, _) = Parse(ConfigDocs.Example);
            Assert.True(ok);
            var canonical = ConfigWriter.ToJson(c);
            var (ok2, c2, errors2) = Parse(canonical);
            Assert.True(ok2, errors2.ToString());
            Assert.Equal(canonical, ConfigWriter.ToJson(c2));
            Assert.DoesNotContain("\": ", canonical);
            Assert.DoesNotContain(", ", canonical);
            Assert.True(canonical.All(ch => ch < 0x7F), "canonical JSON is ASCII");
            Assert.StartsWith("{\"cadence\":{", canonical);
        }

        [Fact]
        public void The_base_cadence_is_120_to_600_s_as_documented_and_never_shorter_than_the_cadence_above_observation()
        {
            // Below 120 s the base cadence is refused on its own path (it could never be at least above_observation_s).
            foreach (var bad in new[] { 10, 60, 119 })
            {
                var errors = Rejected(WithRiver("\"cadence\":{\"base_s\":" + bad + ",\"above_observation_s\":120}"));
                Assert.Equal("cadence.base_s", errors[0].Path);
            }

            Assert.True(Parse(WithRiver("\"cadence\":{\"base_s\":120,\"above_observation_s\":120}")).Ok);
            Assert.True(Parse(WithRiver("\"cadence\":{\"base_s\":300,\"above_observation_s\":300}")).Ok);
            Assert.Equal("cadence.above_observation_s", Rejected(WithRiver("\"cadence\":{\"base_s\":300}"))[0].Path);
            var doc = File.ReadAllText(Path.Combine(Gateway.Tests.Codec.CodecPaths.RepoRoot, "firmware", "Gateway.Control", "CONFIG.md"));
            Assert.Contains("| `cadence.base_s` | integer | s | 120..600", doc, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Every_bad_field_is_reported_not_only_the_first()
        {
            var errors = Rejected("{\"schema\":1,\"site\":{\"id\":\"bad id!\",\"kind\":\"lake\",\"lat\":95},"
                + "\"river\":{\"observation_start_mm\":\"1000\",\"standby_mm\":1500,\"caution_mm\":1400,\"evacuation_mm\":2500},"
                + "\"cadence\":{\"base_s\":900,\"above_observation_s\":200},\"colour\":\"red\"}");
            var byPath = Enumerable.Range(0, errors.Count).Select(i => errors[i]).ToDictionary(e => e.Path, e => e.Kind);
            Assert.Equal(ConfigErrorKind.InvalidValue, byPath["site.id"]);
            Assert.Equal(ConfigErrorKind.InvalidValue, byPath["site.kind"]);
            Assert.Equal(ConfigErrorKind.OutOfRange, byPath["site.lat"]);
            Assert.Equal(ConfigErrorKind.MissingField, byPath["site.lon"]);
            Assert.Equal(ConfigErrorKind.WrongType, byPath["river.observation_start_mm"]);
            Assert.Equal(ConfigErrorKind.NotIncreasing, byPath["river.caution_mm"]);
            Assert.Equal(ConfigErrorKind.MissingField, byPath["river.danger_mm"]);
            Assert.Equal(ConfigErrorKind.AboveMlitMaximum, byPath["cadence.base_s"]);
            Assert.Equal(ConfigErrorKind.InvalidValue, byPath["cadence.above_observation_s"]);
            Assert.Equal(ConfigErrorKind.UnknownField, byPath["colour"]);
            Assert.Equal(10, errors.Count);
        }

        [Theory]
        [InlineData("{\"schema\":1,\"site\":{\"kind\":\"river\"}}", "site.id", ConfigErrorKind.MissingField)]
        [InlineData("{\"site\":{\"id\":\"a\",\"kind\":\"snow\"}}", "schema", ConfigErrorKind.MissingField)]
        [InlineData("{\"schema\":2,\"site\":{\"id\":\"a\",\"kind\":\"snow\"}}", "schema", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"river\"}}", "river", ConfigErrorKind.MissingField)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"snow\":{\"alert_cm_per_h\":5.5}}", "snow.alert_cm_per_h", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"slope\"},\"slope\":{\"tilt_alarm_mdeg_per_h\":-1}}", "slope.tilt_alarm_mdeg_per_h", ConfigErrorKind.OutOfRange)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"slope\"},\"channels\":{\"inclinometer\":{\"median_count\":4}}}", "channels.inclinometer.median_count", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"channels\":{\"ultrasonic\":{\"min_mm\":5000,\"max_mm\":5000}}}", "channels.ultrasonic.max_mm", ConfigErrorKind.Inconsistent)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"primary\":\"cellular\",\"mqtt\":{\"host\":\"h\"}}}", "transport.cellular.apn", ConfigErrorKind.MissingField)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"primary\":\"wifi\"}}", "transport.mqtt.host", ConfigErrorKind.MissingField)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"cellular\":{\"mode\":\"gsm\"}}}", "transport.cellular.mode", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"cellular\":{\"user\":7}}}", "transport.cellular.user", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"failover\":[\"lora\"]}}", "transport.failover[0]", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"failover\":[\"wifi\",\"wifi\"],\"mqtt\":{\"host\":\"h\"}}}", "transport.failover[1]", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"failover\":[1]}}", "transport.failover[0]", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"transport\":{\"lora\":{\"region\":\"EU868\"}}}", "transport.lora.region", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"uplink\":{\"alive_time\":\"24:00\"}}", "uplink.alive_time", ConfigErrorKind.InvalidValue)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"cadence\":{\"base_s\":120,\"above_observation_s\":300}}", "cadence.above_observation_s", ConfigErrorKind.Inconsistent)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"cadence\":{\"base_s\":601}}", "cadence.base_s", ConfigErrorKind.AboveMlitMaximum)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"keys\":{\"key_id\":256}}", "keys.key_id", ConfigErrorKind.OutOfRange)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"channels\":{\"battery\":{\"fitted\":\"yes\"}}}", "channels.battery.fitted", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"},\"channels\":null}", "channels", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\",\"name\":\"x\\ny\"}}", "site.name", ConfigErrorKind.InvalidValue)]
        [InlineData("[1,2]", "", ConfigErrorKind.WrongType)]
        [InlineData("{\"schema\":1,", "", ConfigErrorKind.Syntax)]
        public void Each_rule_names_its_field_and_kind(string json, string path, ConfigErrorKind kind)
        {
            var errors = Rejected(json);
            var match = Enumerable.Range(0, errors.Count).Select(i => errors[i]).FirstOrDefault(e => e.Path == path);
            Assert.True(match != null, "no error at '" + path + "': " + errors);
            Assert.Equal(kind, match!.Kind);
        }

        [Fact]
        public void Integral_doubles_are_accepted_for_integer_fields()
        {
            var (ok, c, errors) = Parse(WithRiver("\"cadence\":{\"base_s\":300.0,\"above_observation_s\":1.2e2}"));
            Assert.True(ok, errors.ToString());
            Assert.Equal(300, c.BaseCadenceSeconds);
            Assert.Equal(120, c.AboveObservationCadenceSeconds);
        }

        [Fact]
        public void Snow_site_needs_no_river_levels()
        {
            var (ok, c, errors) = Parse("{\"schema\":1,\"site\":{\"id\":\"pass-7\",\"kind\":\"snow\"},\"snow\":{\"alert_cm_per_h\":3}}");
            Assert.True(ok, errors.ToString());
            Assert.Equal(SiteKind.Snow, c.SiteKind);
            Assert.Equal(3, c.SnowAlertCentimetersPerHour);
        }

        [Fact]
        public void Syntax_errors_carry_position_and_path()
        {
            var errors = Rejected(WithRiver("\"uplink\":{\"max_at_risk\":012}"));
            Assert.Equal(1, errors.Count);
            Assert.Equal(ConfigErrorKind.Syntax, errors[0].Kind);
            Assert.Equal("uplink.max_at_risk", errors[0].Path);
            Assert.Contains("leading zeros", errors[0].Reason);
            Assert.Contains("at character", errors[0].Reason);
        }

        [Fact]
        public void Oversized_documents_are_rejected()
        {
            var errors = Rejected(WithRiver("\"site2\":\"" + new string('x', ConfigParser.MaxDocumentChars) + "\""));
            Assert.Equal(ConfigErrorKind.Syntax, errors[0].Kind);
        }
            [Fact]
        public void A_flood_of_bad_members_keeps_64_errors_and_counts_the_rest()
        {
            var members = string.Join(",", Enumerable.Range(0, 500).Select(i => "\"junk" + i + "\":1"));
            var errors = Rejected("{\"schema\":1,\"site\":{\"id\":\"a\",\"kind\":\"snow\"}," + members + "}");
            Assert.Equal(ConfigErrors.MaxKept, errors.Count);
            Assert.Equal(500, errors.Total);
            Assert.Equal(500 - ConfigErrors.MaxKept, errors.Dropped);
        }

        [Fact]
        public void Loading_the_persisted_state_fits_the_device_heap_budget()
        {
            // The device has about 90 KB of managed heap; the host's objects are larger than nanoFramework's, so a
            // host figure under 48 KB for a start with good + trial configurations leaves room on the device.
            var blobs = new InMemoryDurableBlobs();
            var m = new ConfigManager(blobs);
            Assert.True(m.Propose(ConfigDocs.Example, new ConfigErrors()));
            Assert.True(m.Propose(ConfigDocs.River(), new ConfigErrors()));
            _ = new ConfigManager(blobs); // warm up
            var before = System.GC.GetAllocatedBytesForCurrentThread();
            var loaded = new ConfigManager(blobs);
            var allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(loaded.IsTrial);
            _output.WriteLine($"config state load (good + trial, start counted): {allocated} bytes allocated on the host, state blob {blobs.Text(ConfigManager.BlobName).Length} bytes");
            Assert.True(allocated < 48 * 1024, "allocated " + allocated + " bytes");
        }
    }
}
