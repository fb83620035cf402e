using System;
using System.Linq;
using Gateway.Control;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Xunit;

namespace Gateway.Tests.Control
{
    public class ConsoleInterpreterTests
    {
        private const string KeyHex = "3f9a0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273849506172ae1";

        private readonly InMemoryDurableBlobs _blobs = new();
        private readonly ScriptedConsolePort _port = new();
        private readonly FakeConsoleServices _services = new();
        private ConfigManager _config;
        private DeviceProvisioning _provisioning;
        private ConsoleInterpreter _console;

        public ConsoleInterpreterTests()
        {
            _config = new ConfigManager(_blobs);
            _provisioning = new DeviceProvisioning(_blobs);
            _console = new ConsoleInterpreter(_port, _config, _provisioning, _services);
        }

        private string[] Run(string line)
        {
            _port.Output.Clear();
            _console.Execute(line);
            return _port.Output.ToArray();
        }

        private void Ok(string line)
        {
            var output = Run(line);
            Assert.True(output.Length > 0 && output[^1] == "OK", line + " =>\n" + string.Join("\n", output));
        }

        private string Err(string line)
        {
            var output = Run(line);
            Assert.True(output.Length > 0 && output[^1].StartsWith("ERR ", StringComparison.Ordinal), line + " =>\n" + string.Join("\n", output));
            return output[^1];
        }

        private void Reboot()
        {
            _config = new ConfigManager(_blobs);
            _provisioning = new DeviceProvisioning(_blobs);
            _console = new ConsoleInterpreter(_port, _config, _provisioning, _services);
        }

        private void ProvisionAndConfigure(string configJson = "")
        {
            Ok("provision device-id 4711");
            Ok("provision key 1 " + KeyHex);
            Ok("provision lora 70b3d57ed0001234 0000000000000000 000102030405060708090a0b0c0d0e0f");
            Ok("config set " + (configJson.Length > 0 ? configJson : ConfigDocs.River()));
        }

        [Fact]
        public void Help_lists_every_command()
        {
            var output = Run("help");
            Assert.Equal("OK", output[^1]);
            foreach (var cmd in new[] { "status", "provision device-id", "provision key", "provision lora", "config get", "config set", "selftest", "zero-tilt", "reference-level", "commission", "log", "test-mode", "inject" })
            {
                Assert.Contains(output, l => l.StartsWith(cmd, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void A_gateway_without_a_key_refuses_to_send_and_says_why()
        {
            var guard = new SendGuard(_provisioning, _config);
            Assert.False(guard.MaySend(TransportKind.Lora, out var reason));
            Assert.Contains("no device id", reason);

            Ok("provision device-id 4711");
            Assert.False(_provisioning.IsComplete);
            Assert.False(guard.MaySend(TransportKind.Lora, out reason));
            Assert.Contains("no device key", reason);
            Assert.Contains(Run("status"), l => l.StartsWith("send: REFUSED, not provisioned: no device key", StringComparison.Ordinal));
            Assert.Contains("no device key", Err("commission"));
            Assert.Equal(0, _services.CommissionCalls);

            Ok("provision key 1 " + KeyHex);
            Assert.True(_provisioning.IsComplete);
            Assert.False(guard.MaySend(TransportKind.Lora, out reason));
            Assert.Contains("no configuration", reason);

            Ok("config set " + ConfigDocs.River());
            Assert.False(guard.MaySend(TransportKind.Lora, out reason));
            Assert.Contains("LoRaWAN", reason);
            Assert.True(guard.MaySend(TransportKind.Cellular, out _));

            Ok("provision lora 70b3d57ed0001234 0000000000000000 000102030405060708090a0b0c0d0e0f");
            Assert.True(guard.MaySend(TransportKind.Lora, out reason), reason);
            Assert.Contains(Run("status"), l => l == "send: allowed");
        }

        [Fact]
        public void Send_guard_refuses_when_the_config_names_another_key_id()
        {
            ProvisionAndConfigure();
            Ok("config set {\"schema\":1,\"site\":{\"id\":\"s\",\"kind\":\"snow\"},\"keys\":{\"key_id\":2}}");
            Assert.False(new SendGuard(_provisioning, _config).MaySend(TransportKind.Lora, out var reason));
            Assert.Contains("key id 2", reason);

            // Rotation on the gateway: the new key is announced with what is still missing.
            var output = Run("provision key 2 " + KeyHex);
            Assert.Equal("OK", output[^1]);
            Assert.True(new SendGuard(_provisioning, _config).MaySend(TransportKind.Lora, out reason), reason);
            output = Run("provision key 3 " + KeyHex);
            Assert.Contains(output, l => l.StartsWith("note: the configuration names key id 2", StringComparison.Ordinal));
        }

        [Fact]
        public void Provisioning_commands_persist_and_never_print_a_key_in_full()
        {
            Ok("provision device-id 4294967295");
            var keyLines = Run("provision key 7 " + KeyHex.ToUpperInvariant());
            Assert.Equal("OK", keyLines[^1]);
            Ok("provision lora 70-b3-d5-7e-d0-00-12-34 0000000000000000 000102030405060708090a0b0c0d0e0f");
            Ok("provision mqtt gw4711 s3cret-pw");
            var status = Run("status");
            var everything = string.Join("\n", keyLines.Concat(status).Concat(Run("config get")));
            Assert.DoesNotContain(KeyHex.Substring(4, 20), everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("0102030405060708090a0b0c0d0e", everything);
            Assert.DoesNotContain("s3cret", everything);
            Assert.Contains(status, l => l == "device-key: id 7, 3f..e1 (32 bytes)");
            Assert.Contains(status, l => l.Contains("deveui 70b3d57ed0001234"));

            Reboot();
            Assert.Equal(4294967295u, _provisioning.DeviceId);
            Assert.Equal(7, _provisioning.KeyId);
            var key = new byte[32];
            Assert.True(_provisioning.TryCopyDeviceKey(key, 0));
            Assert.Equal(KeyHex, HexText.ToHex(key));
            Assert.True(_provisioning.HasLora);
            Assert.Equal("gw4711", _provisioning.MqttUser);
            Assert.Equal("s3cret-pw", _provisioning.MqttPasswordForTransport());
        }

        [Theory]
        [InlineData("provision device-id 0", "1..4294967295")]
        [InlineData("provision device-id 4294967296", "1..4294967295")]
        [InlineData("provision device-id -5", "1..4294967295")]
        [InlineData("provision device-id 12abc", "1..4294967295")]
        [InlineData("provision device-id", "usage")]
        [InlineData("provision key 0 " + KeyHex, "key id")]
        [InlineData("provision key 256 " + KeyHex, "key id")]
        [InlineData("provision key 1 abcd", "64 hex")]
        [InlineData("provision key 1 " + KeyHex + "00", "64 hex")]
        [InlineData("provision key 1 zz9a0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273849506172ae1", "64 hex")]
        [InlineData("provision key 1 0000000000000000000000000000000000000000000000000000000000000000", "all zero")]
        [InlineData("provision lora 70b3d57ed00012 0000000000000000 000102030405060708090a0b0c0d0e0f", "deveui")]
        [InlineData("provision lora 70b3d57ed0001234 00000000 000102030405060708090a0b0c0d0e0f", "joineui")]
        [InlineData("provision lora 70b3d57ed0001234 0000000000000000 0001", "appkey")]
        [InlineData("provision lora 0000000000000000 0000000000000000 000102030405060708090a0b0c0d0e0f", "zero")]
        [InlineData("provision mqtt onlyuser", "usage")]
        [InlineData("provision mqtt admin admin", "password too weak")]
        [InlineData("provision mqtt gw4711 gw4711", "password too weak")]
        [InlineData("provision mqtt gw4711 short", "password too weak")]
        [InlineData("provision", "usage")]
        [InlineData("provision wifi x y", "usage")]
        public void Provisioning_errors_are_explained_and_change_nothing(string line, string expected)
        {
            Assert.Contains(expected, Err(line));
            Assert.False(_provisioning.HasDeviceId);
            Assert.False(_provisioning.HasDeviceKey);
            Assert.False(_provisioning.HasLora);
        }

        [Fact]
        public void Config_set_applies_a_trial_and_config_get_prints_canonical_json()
        {
            Assert.Contains("no configuration", Err("config get"));
            Ok("config set " + ConfigDocs.River("first"));
            var output = Run("config set   " + ConfigDocs.Example.Replace("\r", " ").Replace("\n", " "));
            Assert.Equal("OK", output[^1]);
            Assert.Contains("trial", output[0]);
            Assert.True(_config.IsTrial);

            var got = Run("config get");
            Assert.Equal("OK", got[^1]);
            Assert.Equal(_config.ActiveJson(), got[0]);
            Assert.Contains("\"id\":\"kamo-river-03\"", got[0]);
            Assert.Contains(Run("status"), l => l.Contains("TRIAL (0 of 3 periods"));
        }

        [Fact]
        public void Config_set_with_errors_lists_every_field_and_keeps_the_config_in_force()
        {
            Ok("config set " + ConfigDocs.River("keep"));
            var before = _config.ActiveJson();
            var output = Run("config set {\"schema\":1,\"site\":{\"id\":\"x\",\"kind\":\"river\"},\"river\":{\"observation_start_mm\":1000,\"standby_mm\":900,\"caution_mm\":2000,\"evacuation_mm\":2500,\"danger_mm\":3000},\"cadence\":{\"base_s\":3600},\"typo\":1}");
            Assert.Equal("ERR configuration rejected (3 errors); the configuration in force is unchanged", output[^1]);
            Assert.Contains("  river.standby_mm: must be greater than river.observation_start_mm (1000 mm)", output);
            Assert.Contains("  cadence.base_s: longer than the MLIT maximum of 600 s", output);
            Assert.Contains("  typo: unknown field", output);
            Assert.Equal(before, _config.ActiveJson());

            Assert.Contains("leading zeros", string.Join("\n", Run("config set {\"schema\":01}")));
            Assert.Contains("usage", Err("config set"));
            Assert.Contains("usage", Err("config"));
            Assert.Contains("usage", Err("config get extra"));
            Assert.Equal(before, _config.ActiveJson());
        }

        [Fact]
        public void Reference_level_sets_the_offset_from_a_tape_measurement()
        {
            Assert.Contains("no configuration", Err("reference-level 1500"));
            ProvisionAndConfigure();
            _services.RawLevelMm = 1234;
            var output = Run("reference-level 1500");
            Assert.Equal("OK", output[^1]);
            Assert.Contains("offset 266 mm", output[0]);
            Assert.Equal(266, _config.Active.LevelOffsetMillimeters);
            Assert.True(_config.IsTrial);

            _services.RawLevelMm = 1000;
            Ok("reference-level -200");
            Assert.Equal(-1200, _config.Active.LevelOffsetMillimeters);

            Assert.Contains("-50000..50000", Err("reference-level 60000"));
            Assert.Contains("-50000..50000", Err("reference-level 12.5"));
            Assert.Contains("usage", Err("reference-level"));
            _services.LevelAvailable = false;
            Assert.Contains("no echo", Err("reference-level 1500"));
            Assert.Equal(-1200, _config.Active.LevelOffsetMillimeters);
        }

        [Fact]
        public void Zero_tilt_stores_the_present_tilt_as_zero_only_with_an_inclinometer()
        {
            ProvisionAndConfigure();
            Assert.Contains("no inclinometer", Err("zero-tilt"));
            Ok("config set {\"schema\":1,\"site\":{\"id\":\"slope-2\",\"kind\":\"slope\"},\"channels\":{\"inclinometer\":{\"fitted\":true}}}");
            Ok("zero-tilt");
            Assert.Equal(1500, _config.Active.InclinometerZeroXMillidegrees);
            Assert.Equal(-700, _config.Active.InclinometerZeroYMillidegrees);
            _services.TiltAvailable = false;
            Assert.Contains("I2C", Err("zero-tilt"));
            Assert.Contains("usage", Err("zero-tilt now"));
        }

        [Fact]
        public void Selftest_and_commission_report_the_services_result()
        {
            var output = Run("selftest");
            Assert.Equal(new[] { "ultrasonic: pass", "OK" }, output);
            _services.SelfTestPasses = false;
            Assert.Equal("ERR self-test failed", Err("selftest"));

            ProvisionAndConfigure();
            output = Run("commission");
            Assert.Equal(new[] { "joined", "test batch acknowledged", "OK" }, output);
            _services.CommissionSucceeds = false;
            Assert.Equal("ERR commissioning failed", Err("commission"));
        }

        [Fact]
        public void Log_prints_the_newest_lines_and_checks_its_count()
        {
            for (var i = 0; i < 30; i++)
            {
                _services.Log.Add("line " + i);
            }

            var output = Run("log");
            Assert.Equal(21, output.Length);
            Assert.Equal("line 10", output[0]);
            Assert.Equal(new[] { "line 28", "line 29", "OK" }, Run("log 2"));
            Assert.Contains("1..500", Err("log 0"));
            Assert.Contains("1..500", Err("log 501"));
            Assert.Contains("1..500", Err("log many"));
            Assert.Contains("usage", Err("log 1 2"));
        }

        [Fact]
        public void Test_mode_gates_sensor_injection()
        {
            Assert.Contains("test-mode on", Err("inject level 1500"));
            Ok("test-mode on");
            Assert.True(_services.TestMode);
            Ok("inject level 1500");
            Ok("inject tilt-x -250");
            Ok("inject battery 3300");
            Assert.Equal(new[] { (ChannelId.WaterLevelMillimeters, 1500), (ChannelId.TiltXMillidegrees, -250), (ChannelId.BatteryMillivolts, 3300) }, _services.Injected);
            Assert.Contains("unknown channel", Err("inject humidity 5"));
            Assert.Contains("integer", Err("inject level high"));
            Assert.Contains(Run("status"), l => l == "test-mode: on");
            Ok("test-mode off");
            Assert.False(_services.TestMode);
            Assert.Contains("usage", Err("test-mode maybe"));
            Assert.Contains("test-mode on", Err("inject level 1"));
        }

        [Fact]
        public void Unknown_overlong_and_garbage_lines_get_an_error_line()
        {
            Assert.Contains("unknown command 'reboot-now'", Err("reboot-now"));
            Assert.Contains("line too long", Err("config set " + new string('x', ConsoleInterpreter.MaxLineChars)));
            Assert.Contains("control characters", Err("status\u0007"));
            Assert.Contains("unknown command '?????'", Err("\u00ff\u00fe\u6c34\u00a0\u00a0"));
            Assert.Empty(Run(""));
            Assert.Empty(Run("   \t "));
            Ok("  status  ");
        }

        [Fact]
        public void A_failing_service_becomes_an_error_line_not_a_crash()
        {
            _services.ThrowFromStatus = true;
            Assert.Equal("ERR internal error: status source failed", Err("status"));
            Ok("help");
        }

        [Fact]
        public void Poll_reads_lines_from_the_port_until_none_arrive()
        {
            _port.Input.Enqueue("help");
            _port.Input.Enqueue("bogus");
            Assert.True(_console.PollOnce(10));
            Assert.True(_console.PollOnce(10));
            Assert.False(_console.PollOnce(10));
            Assert.StartsWith("ERR unknown command", _port.Last);
        }

        [Fact]
        public void Ten_thousand_random_garbage_lines_never_crash_and_each_gets_one_status_line()
        {
            ProvisionAndConfigure();
            Ok("test-mode on");
            var rng = new Random(10_000);
            var words = new[] { "help", "status", "provision", "device-id", "key", "lora", "mqtt", "config", "get", "set", "selftest", "zero-tilt",
                "reference-level", "commission", "log", "test-mode", "on", "off", "inject", "level", "-1", "0", "4294967296", "{", "}", "\"", KeyHex, "[[[[", "1e999" };
            var before = _config.ActiveJson();
            int errors = 0, oks = 0;
            for (var i = 0; i < 10_000; i++)
            {
                string line;
                switch (rng.Next(4))
                {
                    case 0: // random characters, any UTF-16 unit
                        line = new string(Enumerable.Range(0, rng.Next(0, 120)).Select(_ => (char)rng.Next(0, 0x10000)).ToArray());
                        break;
                    case 1: // random printable ASCII
                        line = new string(Enumerable.Range(0, rng.Next(0, 200)).Select(_ => (char)rng.Next(32, 127)).ToArray());
                        break;
                    case 2: // shuffled command words
                        line = string.Join(rng.Next(3) == 0 ? "\t" : " ", Enumerable.Range(0, rng.Next(1, 7)).Select(_ => words[rng.Next(words.Length)]));
                        break;
                    default: // long lines around the limit
                        line = "config set " + new string((char)rng.Next(32, 127), ConsoleInterpreter.MaxLineChars - 20 + rng.Next(40));
                        break;
                }

                _port.Output.Clear();
                _console.Execute(line); // must not throw
                var statusLines = _port.Output.Count(l => l == "OK" || l.StartsWith("ERR ", StringComparison.Ordinal));
                var trimmed = line.Trim(' ', '\t', '\r');
                if (trimmed.Length == 0 || (trimmed[0] == '#' && line.Length <= ConsoleInterpreter.MaxLineChars && !line.Any(c => (c < ' ' && c != '\t' && c != '\r') || c == (char)0x7F)))
                {
                    Assert.Equal(0, statusLines);
                    continue;
                }

                Assert.True(statusLines == 1, $"line {i} gave {statusLines} status lines: {line}");
                if (_port.Last == "OK")
                {
                    oks++;
                }
                else
                {
                    errors++;
                }

                Assert.DoesNotContain(_port.Output, l => l.Contains(KeyHex.Substring(8), StringComparison.OrdinalIgnoreCase));
            }

            Assert.True(errors > 5000, "mostly rejected: " + errors);
            Assert.True(_provisioning.IsComplete);
        }
    }
}

namespace Gateway.Tests.Control
{
    public class SendGuardTests
    {
        [Fact]
        public void The_check_before_every_uplink_allocates_nothing_when_sending_is_allowed()
        {
            var blobs = new InMemoryDurableBlobs();
            var provisioning = new DeviceProvisioning(blobs);
            provisioning.SetDeviceId(7);
            provisioning.SetDeviceKey(1, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
            provisioning.SetLora(new byte[] { 2, 0, 0, 0, 0, 0, 0, 1 }, new byte[8], Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
            var config = new ConfigManager(blobs);
            Assert.True(config.Propose(ConfigDocs.River(), new ConfigErrors()));
            var guard = new SendGuard(provisioning, config);
            Assert.True(guard.MaySend(TransportKind.Lora, out _));

            var before = GC.GetAllocatedBytesForCurrentThread();
            var allowed = 0;
            for (var i = 0; i < 10_000; i++)
            {
                if (guard.MaySend(TransportKind.Lora, out _))
                {
                    allowed++;
                }
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(10_000, allowed);
        }
    }
}
