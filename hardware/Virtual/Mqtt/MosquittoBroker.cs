using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Gateway.Virtual.Mqtt
{
    /// <summary>
    /// A real Eclipse Mosquitto broker for tests and the simulator: started from the Debian package's
    /// /usr/sbin/mosquitto on a free loopback port with a generated configuration (password file, persistence in a
    /// temporary folder), stopped and restarted on the same port to exercise reconnection, removed on dispose; or
    /// with a configuration file the caller wrote (<see cref="MosquittoBroker(string, int, string)"/>: e.g. a test copy
    /// of the shipped tools/broker/mosquitto.conf).
    /// </summary>
    public sealed class MosquittoBroker : IDisposable
    {
        private readonly string? _dir;
        private readonly string _config;
        private readonly string _logPath;
        private Process? _process;

        /// <summary>Loopback port the broker listens on.</summary>
        public int Port { get; }

        /// <summary>Host to connect to.</summary>
        public string Host => "127.0.0.1";

        /// <summary>The username every client must present.</summary>
        public string Username { get; } = "gateway";

        /// <summary>The password of <see cref="Username"/> (generated per broker).</summary>
        public string Password { get; }

        /// <summary>Path of the broker's log file.</summary>
        public string LogPath => _logPath;

        /// <summary>Creates the configuration (nothing runs until <see cref="Start"/>).</summary>
        public MosquittoBroker(int seed = 0)
        {
            string exe = FindBroker();
            _dir = Directory.CreateTempSubdirectory("gateway-mosquitto-").FullName;
            _logPath = Path.Combine(_dir, "mosquitto.log");
            Port = FreeLoopbackPort();
            Password = "pw-" + new Random(seed == 0 ? Environment.TickCount : seed).Next(100000, 999999);
            string passwd = Path.Combine(_dir, "passwd");
            Run(FindTool("mosquitto_passwd"), $"-b -c \"{passwd}\" {Username} {Password}");
            _config = Path.Combine(_dir, "mosquitto.conf");
            File.WriteAllText(_config,
                $"listener {Port} 127.0.0.1\n" +
                "allow_anonymous false\n" +
                $"password_file {passwd}\n" +
                "persistence true\n" +
                $"persistence_location {_dir}/\n" +
                $"log_dest file {LogPath}\n" +
                "log_type error\nlog_type warning\nlog_type notice\n" +
                // Started as root, mosquitto drops to the "mosquitto" user, which cannot use this private folder.
                (Environment.UserName == "root" ? "user root\n" : ""));
            Executable = exe;
        }

        /// <summary>
        /// A broker that runs the caller's configuration file as it is. <paramref name="port"/> is the listener
        /// <see cref="Start"/> waits for; <paramref name="logPath"/> the file the configuration logs to (read into
        /// error messages). The caller owns the files: dispose stops the broker and deletes nothing.
        /// </summary>
        public MosquittoBroker(string configFile, int port, string logPath)
        {
            Executable = FindBroker();
            _config = configFile;
            Port = port;
            _logPath = logPath;
            Password = "";
        }

        /// <summary>The broker executable used.</summary>
        public string Executable { get; }

        /// <summary>True while the broker process runs.</summary>
        public bool IsRunning => _process is { HasExited: false };

        /// <summary>The broker's process id (0 when not running).</summary>
        public int ProcessId => _process is { HasExited: false } p ? p.Id : 0;

        /// <summary>Resident memory of the broker process in bytes (VmRSS; 0 when not running or unknown).</summary>
        public long ResidentBytes
        {
            get
            {
                var pid = ProcessId;
                if (pid == 0 || !File.Exists($"/proc/{pid}/status"))
                {
                    return 0;
                }

                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                    }
                }

                return 0;
            }
        }

        /// <summary>SIGHUP: the broker rereads its password and ACL files (as <c>systemctl reload mosquitto</c>).</summary>
        public void Reload()
        {
            if (IsRunning)
            {
                Run("/bin/kill", "-HUP " + _process!.Id);
            }
        }

        /// <summary>Starts the broker and waits (up to 10 s) until it accepts connections.</summary>
        public void Start()
        {
            if (IsRunning)
            {
                return;
            }

            var psi = new ProcessStartInfo(Executable, $"-c \"{_config}\"")
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Executable);
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 10_000)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {_process.StandardError.ReadToEnd()} {ReadLog()}");
                }

                if (Accepts())
                {
                    // Something accepts on the port; it is this broker only if it is still running a moment later (a broker
                    // of another test that took the same free port in between would accept too, and this one would have
                    // exited on "address already in use").
                    Thread.Sleep(150);
                    if (!_process.HasExited)
                    {
                        return;
                    }

                    continue;
                }

                Thread.Sleep(20);
            }

            throw new TimeoutException("mosquitto did not listen on port " + Port + ": " + ReadLog());
        }

        /// <summary>Stops the broker (SIGTERM: it saves its persistent state, as on a clean shutdown) and waits for it to exit.</summary>
        public void Stop()
        {
            if (_process == null)
            {
                return;
            }

            if (!_process.HasExited)
            {
                Run("/bin/kill", "-TERM " + _process.Id);
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }

            _process.Dispose();
            _process = null;
        }

        /// <summary>Stops and starts again on the same port with the same state.</summary>
        public void Restart()
        {
            Stop();
            Start();
        }

        /// <summary>Stops the broker and deletes its folder.</summary>
        public void Dispose()
        {
            Stop();
            if (_dir == null)
            {
                return;
            }

            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";


        private bool Accepts()
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        /// <summary>A loopback TCP port free at the time of the call.</summary>
        public static int FreeLoopbackPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static string FindBroker()
        {
            foreach (var p in new[] { "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto" })
            {
                if (File.Exists(p))
                {
                    return p;
                }
            }

            throw new MosquittoMissingException("the mosquitto broker (Debian package mosquitto)");
        }

        private static string FindTool(string name)
        {
            foreach (var dir in new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" })
            {
                string p = Path.Combine(dir, name);
                if (File.Exists(p))
                {
                    return p;
                }
            }

            throw new MosquittoMissingException(name + " (Debian package mosquitto)");
        }

        private static void Run(string exe, string args)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(exe, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
                p.WaitForExit(10_000);
                if (p.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{exe} {args} failed: {p.StandardError.ReadToEnd()}");
                }
            }
            catch (Win32Exception e)
            {
                throw new MosquittoMissingException(exe, e);
            }
        }
    }
}
