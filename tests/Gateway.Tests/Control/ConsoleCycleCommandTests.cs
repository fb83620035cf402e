using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Xunit;

namespace Gateway.Tests.Control
{
    public class ConsoleCycleCommandTests
    {
        private readonly InMemoryDurableBlobs _blobs = new();
        private readonly ScriptedConsolePort _port = new();
        private readonly FakeConsoleServices _services = new();
        private readonly ConsoleInterpreter _console;

        public ConsoleCycleCommandTests()
        {
            _console = new ConsoleInterpreter(_port, new ConfigManager(_blobs), new DeviceProvisioning(_blobs), _services);
        }

        private string[] Run(string line)
        {
            _port.Output.Clear();
            _console.Execute(line);
            return _port.Output.ToArray();
        }

        [Fact]
        public void Cycle_needs_test_mode()
        {
            Assert.Equal("ERR cycle needs test-mode on", Run("cycle 3")[^1]);
            Assert.Equal(0, _services.Cycles);
        }

        [Fact]
        public void Cycle_runs_n_cycles_one_line_each_then_ok()
        {
            _services.TestMode = true;
            Run("test-mode on");
            var output = Run("cycle 3");
            Assert.Equal(new[] { "cycle 1", "cycle 2", "cycle 3", "OK" }, output);
            Assert.Equal(3, _services.Cycles);
        }

        [Theory]
        [InlineData("cycle")]
        [InlineData("cycle 0")]
        [InlineData("cycle 1001")]
        [InlineData("cycle x")]
        [InlineData("cycle 1 2")]
        public void Cycle_refuses_bad_counts(string line)
        {
            Run("test-mode on");
            Assert.StartsWith("ERR usage: cycle <n>", Run(line)[^1]);
            Assert.Equal(0, _services.Cycles);
        }

        [Fact]
        public void Reference_level_hands_the_tape_reference_to_commissioning()
        {
            Run("config set " + ConfigDocs.River());
            _services.RawLevelMm = 1000;
            Assert.Equal("OK", Run("reference-level 812")[^1]);
            Assert.Equal((812, 1000), _services.TapeReference);
        }
    }
}
