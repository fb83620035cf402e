using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Gateway.Simulation;
using Gateway.Tests.Simulation;
using Xunit;

namespace Gateway.Tests.Cli
{
    /// <summary>
    /// Every bad flag of <c>./gateway sim</c> (issue 17): one line naming the flag, exit 2, nothing written (not even the
    /// report folder), no stack trace; one problem per message. Checked on the built CLI as a process.
    /// </summary>
    public sealed class SimCommandErrorTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-simflags-").FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        /// <summary>Runs ./gateway (the built CLI) in <paramref name="folder"/>; exit code, stdout, stderr.</summary>
        public static (int Code, string Stdout, string Stderr) Cli(string folder, params string[] args)
        {
            var command = BrokerSimulationTests.CliCommand();
            var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
            foreach (var a in command.Skip(1).Concat(args))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(true);
                throw new TimeoutException("gateway " + string.Join(' ', args) + " did not finish in 120 s");
            }

            return (p.ExitCode, stdout.Result, stderr.Result);
        }

        private static int ClosedPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        [Fact]
        public void Each_bad_flag_is_one_line_naming_it_exit_2_and_nothing_written()
        {
            File.WriteAllText(Path.Combine(_dir, "bad-scenario.json"), "{\"name\": \"x\", bad");
            var listener = new TcpListener(IPAddress.Loopback, 0); // something that accepts, for the --loss check
            listener.Start();
            var open = ((IPEndPoint)listener.LocalEndpoint).Port;
            var cases = new (string[] Args, string Names)[]
            {
                (new[] { "--loss", "NaN" }, "--loss NaN"),
                (new[] { "--loss", "1.5" }, "--loss 1.5"),
                (new[] { "--days", "0" }, "--days 0"),
                (new[] { "--days", "NaN" }, "--days NaN"),
                (new[] { "--outage", "-5" }, "--outage -5"),
                (new[] { "--outage-at", "-1" }, "--outage-at -1"),
                (new[] { "--outage-at", "30", "--days", "1" }, "--outage-at 30: is after the end of the run"),
                (new[] { "--power-cuts", "-1" }, "--power-cuts -1"),
                (new[] { "--modem-hangs", "-2", "--transport", "cellular" }, "--modem-hangs -2"),
                (new[] { "--modem-hangs", "2" }, "--modem-hangs 2: needs --transport cellular"),
                (new[] { "--gateways", "0" }, "--gateways 0"),
                (new[] { "--boot-ms", "-1" }, "--boot-ms -1: must be milliseconds from 0 to 60000"),
                (new[] { "--boot-ms", "NaN" }, "--boot-ms NaN"),
                (new[] { "--cycle-ms", "60001" }, "--cycle-ms 60001: must be milliseconds from 0 to 60000"),
                (new[] { "--cycle-ms", "Infinity" }, "--cycle-ms Infinity"),
                (new[] { "--scenario", "volcano" }, "--scenario volcano: no scenario by that name"),
                (new[] { "--scenario", "bad-scenario.json" }, "--scenario bad-scenario.json: not a valid scenario file"),
                (new[] { "--broker", "nohost" }, "--broker nohost: must be HOST:PORT"),
                (new[] { "--broker", "nohost.invalid:1883" }, "--broker nohost.invalid:1883: no such host"),
                (new[] { "--broker", "127.0.0.1:" + ClosedPort() }, "connection refused"),
                (new[] { "--loss", "0.2", "--broker", "127.0.0.1:" + open }, "--loss 0.2: not applied with --broker over cellular"),
                (new[] { "--gateways", "2000000", "--days", "0.1" }, "--gateways 2000000 --days 0.1: the run needs about"),
                (new[] { "--db", "mysql:x" }, "--db mysql:x"),
                // Two problems at once: the first flag's alone.
                (new[] { "--loss", "NaN", "--outage", "-5" }, "--loss NaN: must be a probability from 0 to 1"),
            };

            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            try
            {
                Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
                {
                    var outDir = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N")[..8]);
                    var (code, stdout, stderr) = Cli(_dir, new[] { "sim" }.Concat(c.Args).Concat(new[] { "--out", outDir }).ToArray());
                    var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    if (code != 2 || lines.Length != 1 || !lines[0].StartsWith("gateway sim: " + c.Args[0], StringComparison.Ordinal)
                        || !lines[0].Contains(c.Names, StringComparison.Ordinal) || stdout.Length > 0 || stderr.Contains("   at ", StringComparison.Ordinal)
                        || Directory.Exists(outDir))
                    {
                        failures.Add($"{string.Join(' ', c.Args)}: exit {code}, stderr \"{stderr.Trim()}\", stdout \"{stdout.Trim()}\", out folder {(Directory.Exists(outDir) ? "written" : "absent")} (wanted exit 2, one line naming \"{c.Names}\", nothing written)");
                    }
                });
            }
            finally
            {
                listener.Stop();
            }

            Assert.True(failures.IsEmpty, string.Join("\n", failures));
        }

        [Fact]
        public void The_memory_estimate_refuses_what_cannot_fit_and_passes_what_can()
        {
            // Measured: 1,000 gateways for a day peaked at 1.49 GB; the estimate must not be below it.
            Assert.True(SimOptions.EstimateMemoryMb(1000, 1) >= 1490);
            Assert.True(SimOptions.EstimateMemoryMb(200, 3) >= 389);
            var big = new SimOptions { Gateways = 20000, Days = 0.1 };
            var problem = big.Problem(availableMb: 16_000);
            Assert.NotNull(problem);
            Assert.StartsWith("--gateways 20000 --days 0.1: the run needs about", problem, StringComparison.Ordinal);
            Assert.Contains("15.6 GB are available", problem, StringComparison.Ordinal);
            Assert.Null(new SimOptions { Gateways = 1000, Days = 1 }.Problem(availableMb: 16_000));
            Assert.True(SimOptions.AvailableMemoryMb() > 0, "MemAvailable is read from /proc/meminfo");
        }

        [Fact]
        public void Sim_help_says_what_the_readme_says_about_broker_connections()
        {
            var (code, stdout, _) = Cli(_dir, "sim", "--help");
            Assert.Equal(0, code);
            var help = string.Join(' ', stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("one shared connection to the broker", help, StringComparison.Ordinal);
            Assert.DoesNotContain("its own MQTT client", help, StringComparison.Ordinal);
            var readme = File.ReadAllText(Path.Combine(Gateway.Tests.Codec.CodecPaths.RepoRoot, "tools", "Gateway.Simulation", "README.md"));
            Assert.Contains("one shared connection to the broker", readme, StringComparison.Ordinal);
        }
    }
}
