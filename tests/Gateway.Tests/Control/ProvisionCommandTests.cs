using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Gateway.Cli.Commands;
using Gateway.Control;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Core.Codec;
using Xunit;

namespace Gateway.Tests.Control
{
    public sealed class ProvisionCommandTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-provision-").FullName;

        private string KeyFile => Path.Combine(_dir, "keys.json");

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private ProvisionResult Provision(uint deviceId, bool rotate = false) =>
            DeviceProvisioner.Run(new ProvisionRequest(deviceId, KeyFile, Path.Combine(_dir, "out"), rotate, "0000000000000000"));

        private JsonArray Devices() => (JsonArray)JsonNode.Parse(File.ReadAllText(KeyFile))!["devices"]!;

        [Fact]
        public void A_key_file_in_a_missing_folder_is_refused_before_any_secret_is_generated_or_written()
        {
            var keyFile = Path.Combine(_dir, "no-such-folder", "keys.json");
            var outDir = Path.Combine(_dir, "out");
            var ex = Assert.Throws<ProvisionRefusedException>(() =>
                DeviceProvisioner.Run(new ProvisionRequest(7, keyFile, outDir, false, "0000000000000000")));
            Assert.Equal(2, ex.ExitCode);
            Assert.Contains("--key-file", ex.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(outDir), "no provisioning script or LoRaWAN registration was written");
            Assert.False(Directory.Exists(Path.GetDirectoryName(keyFile)));

            // Through the CLI: exit 2, one line, nothing written.
            var (code, stdout, stderr) = Gateway.Tests.Cli.SimCommandErrorTests.Cli(_dir, "provision", "--device-id", "7", "--key-file", keyFile, "--out", outDir);
            Assert.Equal(2, code);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(stdout);
            Assert.False(Directory.Exists(outDir));
        }

        [Fact]
        public void Provisioning_script_pasted_into_the_console_provisions_the_key_the_cloud_file_holds()
        {
            var result = Provision(4711);
            Assert.Equal(1, result.KeyId);
            var entry = (JsonObject)Devices().Single()!;
            Assert.Equal(4711, entry["device_id"]!.GetValue<long>());
            Assert.Equal(1, entry["key_id"]!.GetValue<long>());
            var keyHex = entry["key_hex"]!.GetValue<string>();
            Assert.Matches("^[0-9a-f]{64}$", keyHex);
            Assert.Equal(0x02, Convert.ToByte(result.DevEui.Substring(0, 2), 16) & 0x03); // locally administered unicast

            if (!OperatingSystem.IsWindows())
            {
                var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                Assert.Equal(ownerOnly, File.GetUnixFileMode(KeyFile));
                Assert.Equal(ownerOnly, File.GetUnixFileMode(result.ScriptPath));
                Assert.Equal(ownerOnly, File.GetUnixFileMode(result.LorawanPath));
            }

            // Send the script to a gateway console, line by line.
            var blobs = new InMemoryDurableBlobs();
            var port = new ScriptedConsolePort();
            var provisioning = new DeviceProvisioning(blobs);
            var console = new ConsoleInterpreter(port, new ConfigManager(blobs), provisioning, new FakeConsoleServices());
            foreach (var line in File.ReadAllLines(result.ScriptPath))
            {
                port.Output.Clear();
                console.Execute(line);
                if (line.StartsWith('#'))
                {
                    Assert.Empty(port.Output);
                }
                else
                {
                    Assert.True(port.Last == "OK", line.Split(' ')[0] + " " + port.All);
                }
            }

            Assert.True(provisioning.IsComplete);
            Assert.Equal(4711u, provisioning.DeviceId);
            var key = new byte[32];
            Assert.True(provisioning.TryCopyDeviceKey(key, 0));
            Assert.Equal(keyHex, HexText.ToHex(key));
            var lorawan = JsonNode.Parse(File.ReadAllText(result.LorawanPath))!;
            Assert.Equal(result.DevEui, HexText.ToHex(provisioning.DevEui));
            Assert.Equal(lorawan["dev_eui"]!.GetValue<string>(), result.DevEui);
            var appKey = new byte[16];
            Assert.True(provisioning.TryCopyAppKey(appKey, 0));
            Assert.Equal(lorawan["app_key"]!.GetValue<string>(), HexText.ToHex(appKey));
        }

        [Fact]
        public void An_existing_device_is_refused_without_rotate_and_the_key_file_is_untouched()
        {
            Provision(4711);
            Provision(99);
            var before = File.ReadAllText(KeyFile);
            var ex = Assert.Throws<ProvisionRefusedException>(() => Provision(4711));
            Assert.Equal(2, ex.ExitCode);
            Assert.Contains("--rotate", ex.Message);
            Assert.Equal(before, File.ReadAllText(KeyFile));
        }

        [Fact]
        public void Rotate_adds_a_new_key_id_and_keeps_the_old_key_for_batches_in_flight()
        {
            var first = Provision(4711);
            var second = Provision(4711, rotate: true);
            Assert.True(second.Rotated);
            Assert.Equal(2, second.KeyId);
            Assert.Equal(1, second.DevicesInKeyFile);
            Assert.Equal(2, second.KeysInKeyFile);
            var keys = Devices().Select(d => d!["key_hex"]!.GetValue<string>()).ToArray();
            Assert.NotEqual(keys[0], keys[1]);
            var script = File.ReadAllLines(second.ScriptPath).Where(l => !l.StartsWith('#')).ToArray();
            Assert.Equal(new[] { "provision key 2 " + keys[1], "status" }, script);
            Assert.NotEqual(first.ScriptPath, second.ScriptPath);
        }

        [Fact]
        public void A_file_that_is_not_a_key_file_is_refused_and_left_alone()
        {
            File.WriteAllText(KeyFile, "{\"users\":[]}");
            var ex = Assert.Throws<ProvisionRefusedException>(() => Provision(1));
            Assert.Equal(1, ex.ExitCode);
            Assert.Equal("{\"users\":[]}", File.ReadAllText(KeyFile));
        }

        [Fact]
        public void The_cli_returns_0_then_2_for_a_second_run_on_the_same_device()
        {
            string[] Args(params string[] extra) => new[] { "provision", "--device-id", "5", "--key-file", KeyFile, "--out", _dir, "--json" }.Concat(extra).ToArray();
            Assert.Equal(0, Gateway.Cli.Program.BuildRoot().Parse(Args()).Invoke());
            Assert.Equal(2, Gateway.Cli.Program.BuildRoot().Parse(Args()).Invoke());
            Assert.Equal(0, Gateway.Cli.Program.BuildRoot().Parse(Args("--rotate")).Invoke());
            Assert.Equal(2, Devices().Count);
        }
    }
}
