using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Npgsql;

namespace Gateway.Tests.Support
{
    /// <summary>
    /// A real PostgreSQL server (Debian's postgresql package) started for the tests in a temporary folder on a free
    /// loopback port, trust authentication, stopped and deleted at the end. No mock: the receiver's SQL runs on the
    /// real engine. When the server binaries are missing the tests fail and say how to install them.
    /// </summary>
    public sealed class PostgresServer : IDisposable
    {
        private readonly string _dataDir;
        private readonly string _binDir;
        private readonly bool _asPostgresUser;
        private int _databases;

        /// <summary>Starts the server.</summary>
        public PostgresServer()
        {
            _binDir = FindBinDir() ?? throw new InvalidOperationException(
                "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin). " +
                "Install them: sudo apt-get install postgresql (./test.sh does this through scripts/setup.sh).");
            _asPostgresUser = Environment.UserName == "root";
            _dataDir = Path.Combine(Path.GetTempPath(), "gw-pg-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_dataDir);
            if (_asPostgresUser)
            {
                Run("chown", $"postgres:postgres {_dataDir}", asPostgres: false);
            }

            Port = FreePort();
            Run(Path.Combine(_binDir, "initdb"), $"-D {_dataDir} --auth=trust --username=postgres --encoding=UTF8 --no-sync -N", _asPostgresUser);
            Run(Path.Combine(_binDir, "pg_ctl"),
                $"-D {_dataDir} -l {_dataDir}/server.log -w -t 60 -o \"-p {Port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off\" start",
                _asPostgresUser);
        }

        /// <summary>The server's loopback port.</summary>
        public int Port { get; }

        /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
        public string CreateDatabase()
        {
            var name = "gw_test_" + Interlocked.Increment(ref _databases);
            using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
            {
                admin.Open();
                using var cmd = admin.CreateCommand();
                cmd.CommandText = $"DROP DATABASE IF EXISTS {name}; ";
                cmd.ExecuteNonQuery();
                cmd.CommandText = $"CREATE DATABASE {name}";
                cmd.ExecuteNonQuery();
            }

            return ConnectionString(name);
        }

        /// <summary>A connection string for a database on this server.</summary>
        public string ConnectionString(string database) =>
            $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=15";

        /// <inheritdoc />
        public void Dispose()
        {
            try
            {
                Run(Path.Combine(_binDir, "pg_ctl"), $"-D {_dataDir} -m immediate -w stop", _asPostgresUser);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder is removed below either way.
            }

            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static string? FindBinDir()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault();
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static void Run(string file, string args, bool asPostgres)
        {
            var psi = asPostgres
                ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}")
                : new ProcessStartInfo(file, args);
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.WorkingDirectory = Path.GetTempPath();
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{file} {args} timed out");
            }

            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {stdout.Result}{stderr.Result}");
            }
        }
    }
}
