using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Cli.Commands;
using Gateway.Control.Config;
using Gateway.Control.Provisioning;
using Gateway.Control.Technician;
using Gateway.Simulation.Hil;
using Gateway.Tests.Control;
using Xunit;

namespace Gateway.Tests.ConsoleLink
{
    /// <summary>The serial path of ./gateway console over a pseudo-terminal; the test plays the gateway on the master side.</summary>
    public sealed class SerialConsoleLinkTests : IDisposable
    {
        private readonly PseudoTerminal _pty = new();
        private readonly Thread _device;
        private readonly FakeConsoleServices _services = new();
        private volatile bool _stop;

        public SerialConsoleLinkTests()
        {
            var blobs = new InMemoryDurableBlobs();
            var console = new ConsoleInterpreter(new MasterPort(_pty), new ConfigManager(blobs), new DeviceProvisioning(blobs), _services);
            _device = new Thread(() =>
            {
                while (!_stop)
                {
                    console.PollOnce(50);
                }
            })
            { IsBackground = true };
            _device.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _device.Join(2000);
            _pty.Dispose();
        }

        [Fact]
        public void Commands_go_over_the_tty_and_each_answer_ends_with_its_status_line()
        {
            using var link = new SerialConsoleLink(_pty.SlavePath, 115200);
            var status = link.Exchange("status", 5000);
            Assert.Equal("OK", status[^1]);
            Assert.Contains(status, l => l.StartsWith("send: REFUSED, not provisioned: no device id", StringComparison.Ordinal));
            Assert.Equal(new[] { "device-id: 77", "OK" }, link.Exchange("provision device-id 77", 5000));
            Assert.StartsWith("ERR unknown command", link.Exchange("frobnicate", 5000)[^1]);
            var help = link.Exchange("help", 5000);
            Assert.Contains(help, l => l.StartsWith("cycle <n>", StringComparison.Ordinal));
        }

        [Fact]
        public void Interactive_session_forwards_stdin_lines_and_prints_the_answers()
        {
            using var link = new SerialConsoleLink(_pty.SlavePath, 115200);
            var output = new StringWriter();
            var rc = ConsoleCommand.Interactive(link, new StringReader("test-mode on\ninject level 2500\n# comment\nexit\nstatus\n"), output, 5000);
            Assert.Equal(0, rc);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            Assert.Contains("test-mode: on (sensor values come from inject)", lines);
            Assert.Equal(2, lines.Count(l => l == "OK"));
            Assert.DoesNotContain(lines, l => l.StartsWith("device-id", StringComparison.Ordinal)); // nothing after exit
            Assert.Equal(new[] { (Gateway.Core.Sensing.ChannelId.WaterLevelMillimeters, 2500) }, _services.Injected);
        }

        [Fact]
        public void A_silent_gateway_times_out_instead_of_hanging()
        {
            _stop = true;
            _device.Join(2000);
            using var link = new SerialConsoleLink(_pty.SlavePath, 115200);
            var started = Environment.TickCount64;
            Assert.Throws<TimeoutException>(() => link.Exchange("status", 300));
            Assert.InRange(Environment.TickCount64 - started, 250, 5000);
        }

        [Fact]
        public void A_device_path_that_is_not_a_tty_is_refused_by_stty()
        {
            var path = Path.GetTempFileName();
            try
            {
                Assert.Throws<IOException>(() => new SerialConsoleLink(path, 115200));
            }
            finally
            {
                File.Delete(path);
            }
        }

        /// <summary>The gateway's side of the pty: a console port over the master.</summary>
        private sealed class MasterPort(PseudoTerminal pty) : IConsolePort
        {
            private readonly List<byte> _line = new();
            private readonly Queue<string> _ready = new();

            public string ReadLine(int timeoutMs)
            {
                var deadline = Environment.TickCount64 + timeoutMs;
                while (_ready.Count == 0)
                {
                    var left = (int)Math.Max(0, deadline - Environment.TickCount64);
                    var data = pty.Read(Math.Min(left, 50));
                    if (data is null || (data.Length == 0 && left == 0))
                    {
                        return null!;
                    }

                    foreach (var b in data)
                    {
                        if (b is (byte)'\r' or (byte)'\n')
                        {
                            if (_line.Count > 0)
                            {
                                _ready.Enqueue(Encoding.UTF8.GetString(_line.ToArray()));
                                _line.Clear();
                            }
                        }
                        else
                        {
                            _line.Add(b);
                        }
                    }
                }

                return _ready.Dequeue();
            }

            public void WriteLine(string line) => pty.Write(Encoding.UTF8.GetBytes(line + "\r\n"));
        }
    }
}
