using System;
using System.IO;
using System.Text;
using System.Threading;
using Gateway.Cli.Commands;
using Gateway.Simulation.Hil;
using Gateway.Simulation.VirtualGateway;
using Gateway.Tests.ConsoleLink;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gateway.Tests.Hil
{
    /// <summary>The hil driver over the serial path: the virtual gateway's console answers on a pseudo-terminal.</summary>
    public sealed class HilOverSerialTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-hil-serial-").FullName;

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void Flood_runs_over_a_tty_and_passes_against_the_database()
        {
            using var cloud = new VirtualCloud(Path.Combine(_dir, "receiver.db"), Path.Combine(_dir, "keys.json"));
            var device = new VirtualGatewayDevice(cloud, seed: 13);
            using (var direct = new InProcessConsoleLink(device))
            {
                HilCommand.ProvisionVirtual(direct, cloud, 4713, _dir, TextWriter.Null);
            }

            using var pty = new PseudoTerminal();
            var stop = false;
            var gateway = new Thread(() => Serve(pty, device, () => stop)) { IsBackground = true };
            gateway.Start();
            try
            {
                using var link = new SerialConsoleLink(pty.SlavePath, 115200);
                var access = new HilCloudAccess
                {
                    Readings = cloud.Store,
                    Commissioning = cloud.Commissioning,
                };
                var result = HilDriver.Run(link, HilScenario.Flood(), access, TextWriter.Null, 10000);
                Assert.True(result.Passed, string.Join("\n", result.Failures));
                Assert.Equal(33, result.Cycles.Count);
                Assert.Contains(result.Figures, f => f.Key == "readings" && f.Value == "99/99");
            }
            finally
            {
                stop = true;
                gateway.Join(2000);
            }
        }

        /// <summary>Plays the gateway: console lines from the pty master into the virtual gateway, answers back.</summary>
        private static void Serve(PseudoTerminal pty, VirtualGatewayDevice device, Func<bool> stop)
        {
            var line = new StringBuilder();
            while (!stop())
            {
                var data = pty.Read(50);
                if (data is null)
                {
                    // No slave side open yet (or between opens): the master reads EIO.
                    Thread.Sleep(20);
                    continue;
                }

                foreach (var b in data)
                {
                    if (b is (byte)'\r' or (byte)'\n')
                    {
                        if (line.Length > 0)
                        {
                            foreach (var answer in device.Execute(line.ToString()))
                            {
                                pty.Write(Encoding.UTF8.GetBytes(answer + "\r\n"));
                            }

                            line.Clear();
                        }
                    }
                    else
                    {
                        line.Append((char)b);
                    }
                }
            }
        }
    }
}
