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
    /// temporary folder), stopped and restarted on the same port to exercise reconnection, removed on dispose.
    /// </summary>
    public sealed class MosquittoBroker : IDisposable
    {
        private readonly string _dir;
        private readonly string _config;
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
        public string LogPath => Path.Combine(_dir, "mosquitto.log");

        /// <summary>Creates the configuration (nothing runs until <see cref="Start"/>).</summary>
        public MosquittoBroker(int seed = 0)
        {
            string exe = FindBroker();
            _dir = Directory.CreateTempSubdirectory("gateway-mosquitto-").FullName;
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

        /// <summary>The broker executable used.</summary>
        public string Executable { get; }

        /// <summary>True while the broker process runs.</summary>
        public bool IsRunning => _process is { HasExited: false };

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
                    return;
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

        private static int FreeLoopbackPort()
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
