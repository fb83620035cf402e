using System;
using System.IO;
using System.Linq;
using Gateway.Cli.Commands;
using Gateway.Simulation.VirtualGateway;
using Xunit;

namespace Gateway.Tests.Control
{
    /// <summary>
    /// The portable self-test and commissioning (Gateway.Control: SelfTest, Commissioner, GatewayConsoleServices), run
    /// as the ESP32 runs them, over the virtual gateway's platform: each check fails on its own fault and says which.
    /// </summary>
    public sealed class SelfTestTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-selftest-").FullName;
        private readonly VirtualCloud _cloud;

        public SelfTestTests()
        {
            _cloud = new VirtualCloud(Path.Combine(_dir, "receiver.db"), Path.Combine(_dir, "keys.json"));
        }

        public void Dispose()
        {
            _cloud.Dispose();
            Directory.Delete(_dir, true);
        }

        private VirtualGatewayDevice Commissioned(int seed)
        {
            var device = new VirtualGatewayDevice(_cloud, seed: seed);
            Assert.True(ConsoleWalkthrough.Run(device, 4711, _dir, TextWriter.Null));
            return device;
        }

        [Fact]
        public void A_healthy_gateway_passes_every_check_and_reports_each_one()
        {
            var device = Commissioned(21);
            var answer = device.Execute("selftest");
            Assert.Equal("OK", answer[^1]);
            foreach (var check in new[] { "level: ok", "temperature: ok", "battery: ok", "flash: ok (64-byte write/read back)", "uplink: mqtt-lte ready" })
            {
                Assert.Contains(answer, l => l.Contains(check, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void A_power_cut_under_the_flash_check_fails_the_flash_line_and_the_console_goes_on()
        {
            var device = Commissioned(22);
            device.Flash.ArmCut(1, torn: true);
            var answer = device.Execute("selftest");
            Assert.StartsWith("ERR", answer[^1], StringComparison.Ordinal);
            Assert.Contains(answer, l => l.Contains("flash: FAIL", StringComparison.Ordinal));
            Assert.Contains(answer, l => l.Contains("level: ok", StringComparison.Ordinal));
            device.Flash.PowerOn();
            Assert.Equal("OK", device.Execute("selftest")[^1]);
        }

        [Fact]
        public void A_battery_below_the_configured_low_threshold_fails_the_battery_line()
        {
            var device = Commissioned(23);
            var config = ConsoleWalkthrough.SiteConfig.Replace("\"low_mv\":3400", "\"low_mv\":4150", StringComparison.Ordinal);
            Assert.Equal("OK", device.Execute("config set " + config)[^1]);
            var answer = device.Execute("selftest");
            Assert.StartsWith("ERR", answer[^1], StringComparison.Ordinal);
            var battery = Assert.Single(answer, l => l.StartsWith("battery:", StringComparison.Ordinal));
            Assert.StartsWith("battery: FAIL", battery, StringComparison.Ordinal);
            Assert.Contains("low 4150 mV", battery, StringComparison.Ordinal);
        }
    }
}
