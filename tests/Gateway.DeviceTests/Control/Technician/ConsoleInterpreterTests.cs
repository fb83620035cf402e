using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.DeviceTests.Control.Config;
using Gateway.DeviceTests.Support;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Control.Technician
{
    /// <summary>
    /// The technician console's interpreter on the device (firmware/Gateway.Control/Technician) over a scripted port
    /// and faked layers, as tests/Gateway.Tests/Control/ConsoleInterpreterTests.cs drives it on the host: every
    /// command answers with exactly one status line, provisioning persists and never echoes a secret, configuration
    /// is applied as a trial or refused with every error, and garbage never crashes it.
    /// </summary>
    [TestClass]
    public class ConsoleInterpreterTests
    {
        private const string KeyHex = "3f9a0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273849506172ae1";
        private const string River = "{\"schema\":1,\"site\":{\"id\":\"test-01\",\"kind\":\"river\"},\"river\":{\"observation_start_mm\":1200,\"standby_mm\":1800,\"caution_mm\":2400,\"evacuation_mm\":3000,\"danger_mm\":3500}}";

        // The test launcher calls test methods without an instance: state is static, and Start() renews it for every
        // test (releasing the previous test's first, so two sets are never alive together); Cleanup releases the last.
        private static MemoryDurableBlobs _blobs;
        private static ScriptedConsolePort _port;
        private static FakeConsoleServices _services;
        private static ConfigManager _config;
        private static DeviceProvisioning _provisioning;
        private static ConsoleInterpreter _console;

        /// <summary>Releases the static state, so the test classes after this one get their heap back.</summary>
        [Cleanup]
        public void ReleaseState()
        {
            Release();
        }

        private static void Release()
        {
            _console = null;
            _provisioning = null;
            _config = null;
            _services = null;
            _port = null;
            _blobs = null;
        }

        private static void Start()
        {
            Release();
            _blobs = new MemoryDurableBlobs();
            _port = new ScriptedConsolePort();
            _services = new FakeConsoleServices();
            Reboot();
        }

        private static void Reboot()
        {
            _config = new ConfigManager(_blobs);
            _provisioning = new DeviceProvisioning(_blobs);
            _console = new ConsoleInterpreter(_port, _config, _provisioning, _services);
        }

        private static void Run(string line)
        {
            _port.Output.Clear();
            _console.Execute(line);
        }

        private static void Ok(string line)
        {
            Run(line);
            Assert.AreEqual("OK", _port.Last, line);
            Assert.AreEqual(1, _port.StatusLines, line + ": one status line");
        }

        private static string Err(string line)
        {
            Run(line);
            Assert.IsTrue(_port.Last.StartsWith("ERR "), line + " => " + _port.Last);
            Assert.AreEqual(1, _port.StatusLines, line + ": one status line");
            return _port.Last;
        }

        private static void ErrContaining(string line, string part)
        {
            string error = Err(line);
            Assert.IsTrue(error.IndexOf(part) >= 0, line + " => " + error + " (expected '" + part + "')");
        }

        /// <summary><paramref name="prefix"/> then <paramref name="document"/> with its line breaks as spaces (one console line).</summary>
        private static string OneLine(string prefix, string document)
        {
            char[] chars = (prefix + document).ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == '\n' || chars[i] == '\r')
                {
                    chars[i] = ' ';
                }
            }

            return new string(chars);
        }

        private static void ProvisionAndConfigure()
        {
            Ok("provision device-id 4711");
            Ok("provision key 1 " + KeyHex);
            Ok("provision lora 70b3d57ed0001234 0000000000000000 000102030405060708090a0b0c0d0e0f");
            Ok("config set " + River);
        }

        /// <summary>help lists every command, one per line, then OK.</summary>
        [TestMethod]
        public void HelpListsEveryCommand()
        {
            Start();
            Ok("help");
            string[] commands = new string[] { "status", "provision device-id", "provision key", "provision lora", "config get", "config set", "selftest", "zero-tilt", "reference-level", "commission", "log", "test-mode", "inject", "cycle" };
            for (int c = 0; c < commands.Length; c++)
            {
                bool found = false;
                for (int i = 0; i < _port.Output.Count; i++)
                {
                    found |= _port.Line(i).StartsWith(commands[c]);
                }

                Assert.IsTrue(found, "help lists " + commands[c]);
            }
        }

        /// <summary>Provisioning persists across a reboot; status shows the key masked and no command ever prints it in full.</summary>
        [TestMethod]
        public void ProvisioningPersistsAndNeverPrintsAKeyInFull()
        {
            Start();
            Ok("provision device-id 4294967295");
            Ok("provision key 7 " + KeyHex.ToUpper());
            Ok("provision lora 70-b3-d5-7e-d0-00-12-34 0000000000000000 000102030405060708090a0b0c0d0e0f");
            Ok("provision mqtt gw4711 s3cret-pw");
            Ok("status");
            Assert.IsTrue(_port.Wrote("device-key: id 7, 3f..e1 (32 bytes)"), "the key is masked in status");
            Assert.IsTrue(_port.WroteContaining("deveui 70b3d57ed0001234"));
            Assert.IsFalse(_port.WroteContaining(KeyHex.Substring(4, 20)), "the key is never printed");
            Assert.IsFalse(_port.WroteContaining("s3cret"), "the MQTT password is never printed");

            Reboot();
            Assert.AreEqual(4294967295u, _provisioning.DeviceId);
            Assert.AreEqual((byte)7, _provisioning.KeyId);
            byte[] key = new byte[32];
            Assert.IsTrue(_provisioning.TryCopyDeviceKey(key, 0));
            Assert.AreEqual(KeyHex, HexText.ToHex(key));
            Assert.IsTrue(_provisioning.HasLora);
            Assert.AreEqual("gw4711", _provisioning.MqttUser);
        }

        /// <summary>Bad provisioning arguments are explained and change nothing.</summary>
        [TestMethod]
        public void ProvisioningErrorsAreExplainedAndChangeNothing()
        {
            Start();
            string[] lines = new string[]
            {
                "provision device-id 0", "provision device-id 4294967296", "provision device-id 12abc", "provision device-id",
                "provision key 0 " + KeyHex, "provision key 1 abcd", "provision key 1 0000000000000000000000000000000000000000000000000000000000000000",
                "provision lora 70b3d57ed00012 0000000000000000 000102030405060708090a0b0c0d0e0f", "provision mqtt onlyuser", "provision", "provision wifi x y",
                "provision mqtt admin admin", "provision mqtt gw4711 short",
            };
            string[] expected = new string[] { "1..4294967295", "1..4294967295", "1..4294967295", "usage", "key id", "64 hex", "all zero", "deveui", "usage", "usage", "usage", "password too weak", "password too weak" };
            for (int i = 0; i < lines.Length; i++)
            {
                ErrContaining(lines[i], expected[i]);
            }

            Assert.IsFalse(_provisioning.HasDeviceId);
            Assert.IsFalse(_provisioning.HasDeviceKey);
            Assert.IsFalse(_provisioning.HasLora);
        }

        /// <summary>config set applies the CONFIG.md example as a trial; config get prints the canonical JSON in force.</summary>
        [TestMethod]
        public void ConfigSetAppliesATrialAndConfigGetPrintsCanonicalJson()
        {
            Start();
            ErrContaining("config get", "no configuration");
            Ok("config set " + River);
            Ok(OneLine("config set   ", ConfigExample.ExampleJson));
            Assert.IsTrue(_port.Line(0).IndexOf("trial") >= 0, _port.Line(0));
            Assert.IsTrue(_config.IsTrial);
            Ok("config get");
            Assert.AreEqual(_config.ActiveJson(), _port.Line(0));
            Assert.IsTrue(_port.Line(0).IndexOf("\"id\":\"kamo-river-03\"") >= 0);
            Ok("status");
            Assert.IsTrue(_port.WroteContaining("TRIAL (0 of 3 periods"), "status shows the trial");
        }

        /// <summary>A configuration with errors is refused with each error at its path, and the one in force stays.</summary>
        [TestMethod]
        public void ConfigSetWithErrorsListsEveryFieldAndKeepsTheConfigInForce()
        {
            Start();
            Ok("config set " + River);
            string before = _config.ActiveJson();
            Run("config set {\"schema\":1,\"site\":{\"id\":\"x\",\"kind\":\"river\"},\"river\":{\"observation_start_mm\":1000,\"standby_mm\":900,\"caution_mm\":2000,\"evacuation_mm\":2500,\"danger_mm\":3000},\"cadence\":{\"base_s\":3600},\"typo\":1}");
            Assert.AreEqual("ERR configuration rejected (3 errors); the configuration in force is unchanged", _port.Last);
            Assert.IsTrue(_port.Wrote("  river.standby_mm: must be greater than river.observation_start_mm (1000 mm)"));
            Assert.IsTrue(_port.Wrote("  cadence.base_s: longer than the MLIT maximum of 600 s"));
            Assert.IsTrue(_port.Wrote("  typo: unknown field"));
            Assert.AreEqual(before, _config.ActiveJson());
            ErrContaining("config set", "usage");
            ErrContaining("config get extra", "usage");
            Assert.AreEqual(before, _config.ActiveJson());
        }

        /// <summary>reference-level sets the level offset from a tape measurement; zero-tilt needs an inclinometer.</summary>
        [TestMethod]
        public void ReferenceLevelAndZeroTiltSetTheirOffsets()
        {
            Start();
            ErrContaining("reference-level 1500", "no configuration");
            ProvisionAndConfigure();
            _services.RawLevelMm = 1234;
            Ok("reference-level 1500");
            Assert.IsTrue(_port.Line(0).IndexOf("offset 266 mm") >= 0, _port.Line(0));
            Assert.AreEqual(266, _config.Active.LevelOffsetMillimeters);
            Assert.AreEqual(1500, _services.TapeReference);
            ErrContaining("reference-level 60000", "-50000..50000");
            _services.LevelAvailable = false;
            ErrContaining("reference-level 1500", "no echo");
            Assert.AreEqual(266, _config.Active.LevelOffsetMillimeters);

            ErrContaining("zero-tilt", "no inclinometer");
            Ok("config set {\"schema\":1,\"site\":{\"id\":\"slope-2\",\"kind\":\"slope\"},\"channels\":{\"inclinometer\":{\"fitted\":true}}}");
            Ok("zero-tilt");
            Assert.AreEqual(1500, _config.Active.InclinometerZeroXMillidegrees);
            Assert.AreEqual(-700, _config.Active.InclinometerZeroYMillidegrees);
        }

        /// <summary>selftest and commission report the services' result; commission refuses an unprovisioned gateway.</summary>
        [TestMethod]
        public void SelftestAndCommissionReportTheServicesResult()
        {
            Start();
            Ok("selftest");
            Assert.AreEqual("ultrasonic: pass", _port.Line(0));
            _services.SelfTestPasses = false;
            Assert.AreEqual("ERR self-test failed", Err("selftest"));
            ErrContaining("commission", "no device id");
            Assert.AreEqual(0, _services.CommissionCalls);
            ProvisionAndConfigure();
            Ok("commission");
            Assert.AreEqual("test batch acknowledged", _port.Line(1));
            _services.CommissionSucceeds = false;
            Assert.AreEqual("ERR commissioning failed", Err("commission"));
        }

        /// <summary>log prints the newest lines; test mode gates inject and cycle.</summary>
        [TestMethod]
        public void LogPrintsTheNewestLinesAndTestModeGatesInjection()
        {
            Start();
            for (int i = 0; i < 30; i++)
            {
                _services.Log.Add("line " + i.ToString());
            }

            Ok("log");
            Assert.AreEqual(21, _port.Output.Count);
            Assert.AreEqual("line 10", _port.Line(0));
            Ok("log 2");
            Assert.AreEqual("line 28", _port.Line(0));
            ErrContaining("log 0", "1..500");
            ErrContaining("log many", "1..500");

            ErrContaining("inject level 1500", "test-mode on");
            ErrContaining("cycle 3", "test-mode on");
            Ok("test-mode on");
            Ok("inject level 1500");
            Ok("inject tilt-x -250");
            Assert.AreEqual((int)ChannelId.WaterLevelMillimeters, (int)_services.InjectedChannels[0]);
            Assert.AreEqual(-250, (int)_services.InjectedValues[1]);
            ErrContaining("inject humidity 5", "unknown channel");
            ErrContaining("inject level high", "integer");
            Ok("cycle 3");
            Assert.AreEqual(3, _services.Cycles);
            Ok("test-mode off");
            Assert.IsFalse(_services.TestMode);
        }

        /// <summary>Unknown commands, overlong lines, control characters and a failing layer each give one ERR line; blank lines none.</summary>
        [TestMethod]
        public void GarbageAndFailuresGiveOneErrorLineNeverACrash()
        {
            Start();
            ErrContaining("reboot-now", "unknown command 'reboot-now'");
            ErrContaining(new string('x', ConsoleInterpreter.MaxLineChars + 1), "line too long");
            ErrContaining("status\u0007", "control characters");
            Run("");
            Assert.AreEqual(0, _port.Output.Count);
            Run("   \t ");
            Assert.AreEqual(0, _port.Output.Count);
            Ok("  status  ");
            _services.ThrowFromStatus = true;
            Assert.AreEqual("ERR internal error: status source failed", Err("status"));
            Ok("help");

            // A burst of scrambled command words: each line gets exactly one status line.
            string[] words = new string[] { "help", "status", "provision", "key", "config", "set", "get", "log", "inject", "-1", "{", "\"", "[[[[", "1e999", "test-mode", "on" };
            uint seed = 12345;
            for (int i = 0; i < 200; i++)
            {
                string line = "";
                int n = 1 + (int)(seed % 5);
                for (int w = 0; w < n; w++)
                {
                    seed = seed * 1103515245 + 12345;
                    line += (w == 0 ? "" : " ") + words[(seed >> 16) % (uint)words.Length];
                }

                _port.Output.Clear();
                _console.Execute(line);
                Assert.AreEqual(1, _port.StatusLines, "line '" + line + "'");
            }
        }

        /// <summary>PollOnce reads lines from the port until none arrive.</summary>
        [TestMethod]
        public void PollReadsLinesFromThePortUntilNoneArrive()
        {
            Start();
            _port.Input.Add("help");
            _port.Input.Add("bogus");
            Assert.IsTrue(_console.PollOnce(10));
            Assert.IsTrue(_console.PollOnce(10));
            Assert.IsFalse(_console.PollOnce(10));
            Assert.IsTrue(_port.Last.StartsWith("ERR unknown command"), _port.Last);
        }
    }
}
