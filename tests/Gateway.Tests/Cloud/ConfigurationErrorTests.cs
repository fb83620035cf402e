using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Gateway.Cloud;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Tests.Simulation;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>
    /// Bad keys and configuration (issue 13): every one is refused with one line naming the problem and exit code 2,
    /// nothing created or stored, no stack trace — checked on <c>./gateway cloud run|query</c> as processes and on
    /// <see cref="KeyRing.Load"/> and <see cref="ReceiverStoreFactory"/> directly.
    /// </summary>
    public sealed class ConfigurationErrorTests : IDisposable
    {
        private static readonly string GoodKey = Convert.ToHexString(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        private static readonly string OtherKey = Convert.ToHexString(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-config-").FullName;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private string KeyFile(string name, string json, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, json);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }

            return path;
        }

        private static string Entry(object deviceId, object keyId, object keyHex) =>
            $"{{\"device_id\":{Json(deviceId)},\"key_id\":{Json(keyId)},\"key_hex\":{Json(keyHex)}}}";

        private static string Json(object o) => o switch
        {
            string s => "\"" + s + "\"",
            RawJson r => r.Text,
            _ => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)!,
        };

        private static string Devices(params string[] entries) => "{\"devices\":[" + string.Join(",", entries) + "]}";

        private sealed record RawJson(string Text);

        /// <summary>Bad key files and what the one line must name.</summary>
        private Dictionary<string, (string Path, string Names)> BadKeyFiles() => new()
        {
            ["world-readable"] = (KeyFile("open.json", Devices(Entry(7, 1, GoodKey)), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead), "permissions 0644"),
            ["group-writable"] = (KeyFile("group.json", Devices(Entry(7, 1, GoodKey)), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite), "chmod 600"),
            ["duplicate"] = (KeyFile("dup.json", Devices(Entry(7, 1, GoodKey), Entry(7, 1, OtherKey))), "device 7 key id 1 is in the file twice"),
            ["all-zero"] = (KeyFile("zero.json", Devices(Entry(7, 1, new string('0', 64)))), "all zeros"),
            ["shared"] = (KeyFile("shared.json", Devices(Entry(7, 1, GoodKey), Entry(8, 1, GoodKey))), "device 8 has the same key as device 7"),
            ["short"] = (KeyFile("short.json", Devices(Entry(7, 1, "0102030405060708"))), "the key has 8 bytes, at least 16"),
            ["odd hex"] = (KeyFile("hex.json", Devices(Entry(7, 1, "zz"))), "devices[0].key_hex is not an even number of hex digits"),
            ["id as string"] = (KeyFile("idstr.json", Devices(Entry("7", 1, GoodKey))), "devices[0].device_id is a string"),
            ["key as number"] = (KeyFile("keynum.json", Devices(Entry(7, 1, new RawJson("12345")))), "devices[0].key_hex is a number"),
            ["key id range"] = (KeyFile("keyid.json", Devices(Entry(7, 300, GoodKey))), "devices[0].key_id is the number 300"),
            ["device 0"] = (KeyFile("dev0.json", Devices(Entry(0, 1, GoodKey))), "device_id is 0"),
            ["entry not object"] = (KeyFile("entry.json", "{\"devices\":[7]}"), "devices[0] is a number"),
            ["no devices"] = (KeyFile("nodev.json", "{\"keys\":[]}"), "\"devices\" array"),
            ["not json"] = (KeyFile("notjson.json", "{\"devices\":[{\"device_id\":7,"), "not valid JSON"),
            ["missing"] = (Path.Combine(_dir, "absent.json"), "not found"),
        };

        [Fact]
        public void The_key_file_loader_refuses_each_bad_file_with_one_line_naming_the_problem()
        {
            foreach (var (what, (path, names)) in BadKeyFiles())
            {
                var ex = Assert.Throws<ConfigurationException>(() => KeyRing.Load(path));
                Assert.True(ex.Message.Contains(names, StringComparison.Ordinal), $"{what}: \"{ex.Message}\" does not say \"{names}\"");
                Assert.DoesNotContain('\n', ex.Message);
                Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            }

            // What is right still loads: rotation (two key ids of one device), several devices.
            var good = KeyFile("good.json", Devices(Entry(7, 1, GoodKey), Entry(7, 2, OtherKey), Entry(8, 1, Convert.ToHexString(Enumerable.Range(50, 16).Select(i => (byte)i).ToArray()))));
            var ring = KeyRing.Load(good);
            Assert.Equal(2, ring.Current(7)!.KeyId);
            Assert.Equal(16, ring.Current(8)!.Key.Length);
        }

        [Fact]
        public void The_store_factory_accepts_sqlite_and_postgres_only_and_says_which()
        {
            Assert.Equal(new StoreSpec(StoreEngine.Sqlite, "/var/lib/gw.db"), ReceiverStoreFactory.Parse("sqlite:/var/lib/gw.db"));
            Assert.Equal(new StoreSpec(StoreEngine.Sqlite, "gateway-cloud.db"), ReceiverStoreFactory.Parse("gateway-cloud.db")); // documented: a plain path is SQLite
            Assert.Equal(StoreEngine.Postgres, ReceiverStoreFactory.Parse("postgres:Host=10.0.0.5;Database=gw;Username=rx").Engine);
            foreach (var bad in new[] { "mysql:foo", "postgresql:Host=x;Database=y", "SQLite:foo.db", "file:foo.db", "sqlite:", "", "postgres:Database=gw", "postgres:Host=x;Nonsense=1" })
            {
                var ex = Assert.Throws<ConfigurationException>(() => ReceiverStoreFactory.Parse(bad));
                Assert.DoesNotContain('\n', ex.Message);
                if (bad.Contains(':', StringComparison.Ordinal) && !bad.StartsWith("sqlite:", StringComparison.Ordinal) && !bad.StartsWith("postgres:", StringComparison.Ordinal))
                {
                    Assert.Contains("sqlite:PATH", ex.Message, StringComparison.Ordinal);
                    Assert.Contains("postgres:", ex.Message, StringComparison.Ordinal);
                }
            }

            var redacted = Assert.Throws<ConfigurationException>(() => ReceiverStoreFactory.Parse("pg:Host=x;Password=hunter2"));
            Assert.DoesNotContain("hunter2", redacted.Message, StringComparison.Ordinal);
            Assert.Throws<ConfigurationException>(() => ReceiverStoreFactory.Open(Path.Combine(_dir, "no-such-folder", "rx.db")));
            Assert.Throws<ConfigurationException>(() => ReceiverStoreFactory.Open("sqlite:" + Path.Combine(_dir, "missing.db"), mustExist: true));
            Assert.False(File.Exists(Path.Combine(_dir, "missing.db")));
        }

        [Fact]
        public void An_unreachable_postgres_server_is_one_line_not_a_stack_trace()
        {
            var sw = Stopwatch.StartNew();
            var ex = Assert.Throws<ConfigurationException>(() => ReceiverStoreFactory.Open($"postgres:Host=127.0.0.1;Port={ClosedPort()};Database=gw;Username=rx;Timeout=3"));
            Assert.Contains("cannot use the PostgreSQL database at 127.0.0.1:", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
        }

        [Fact]
        public void The_commands_print_one_error_line_and_exit_2_for_every_bad_key_file_database_and_time_range()
        {
            var keys = KeyFile("keys.json", Devices(Entry(7, 1, GoodKey)));
            var db = Path.Combine(_dir, "rx.db");
            using (var store = new SqliteReceiverStore(db))
            {
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var run = new[] { "cloud", "run", "--broker", "127.0.0.1:1", "--for", "1" };
            var cases = new List<(string What, string[] Args, string Names)>();
            foreach (var (what, (path, names)) in BadKeyFiles())
            {
                cases.Add(("run, key file " + what, run.Concat(new[] { "--keys", path, "--db", "sqlite:" + db }).ToArray(), names));
            }

            var closed = ClosedPort();
            foreach (var (spec, names) in new[]
            {
                ("mysql:foo", "unknown database scheme \"mysql:\""),
                ("postgresql:Host=127.0.0.1;Database=gw", "unknown database scheme \"postgresql:\""),
                ($"postgres:Host=127.0.0.1;Port={closed};Database=gw;Username=rx;Timeout=3", "cannot use the PostgreSQL database"),
                ("sqlite:" + Path.Combine(_dir, "nowhere", "rx.db"), "does not exist"),
                ("sqlite:" + _dir, "is a folder"),
            })
            {
                cases.Add(("run, --db " + spec, run.Concat(new[] { "--keys", keys, "--db", spec }).ToArray(), names));
                cases.Add(("query, --db " + spec, new[] { "cloud", "query", "--device", "7", "--db", spec }, spec.StartsWith("postgres:", StringComparison.Ordinal) ? names : names.Replace("does not exist", "no such database file", StringComparison.Ordinal)));
            }

            var missing = Path.Combine(_dir, "missing.db");
            cases.Add(("query, missing database", new[] { "cloud", "query", "--device", "7", "--db", "sqlite:" + missing }, "no such database file"));
            cases.Add(("query --commissioning, missing database", new[] { "cloud", "query", "--commissioning", "--device", "7", "--db", "sqlite:" + missing }, "no such database file"));
            cases.Add(("query, reversed range", new[] { "cloud", "query", "--device", "7", "--db", "sqlite:" + db, "--from", "2026-09-02T00:00:00Z", "--to", "2026-09-01T00:00:00Z" }, "is not after --from"));
            cases.Add(("query, empty range", new[] { "cloud", "query", "--device", "7", "--db", "sqlite:" + db, "--from", "2026-09-02T00:00:00Z", "--to", "2026-09-02T00:00:00Z" }, "is not after --from"));
            cases.Add(("query, bad time", new[] { "cloud", "query", "--device", "7", "--db", "sqlite:" + db, "--from", "yesterday" }, "--from yesterday: not an ISO 8601 time"));

            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, c =>
            {
                var (code, stdout, stderr) = Cli(c.Args);
                var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (code != 2 || lines.Length != 1 || !lines[0].StartsWith("error: ", StringComparison.Ordinal) || !lines[0].Contains(c.Names, StringComparison.Ordinal)
                    || stdout.Length > 0 || stderr.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{c.What}: exit {code}, stderr \"{stderr.Trim()}\", stdout \"{stdout.Trim()}\" (wanted exit 2 and one line naming \"{c.Names}\")");
                }
            });
            Assert.True(failures.IsEmpty, string.Join("\n", failures));

            // Nothing was created: no SQLite file named after a refused scheme, no empty database for a query.
            Assert.False(File.Exists(missing));
            Assert.Empty(Directory.GetFiles(_dir, "*foo*").Concat(Directory.GetFiles(_dir, "*postgresql*")));
            Assert.False(Directory.Exists(Path.Combine(_dir, "nowhere")));
        }

        /// <summary>Runs ./gateway (the built CLI) in the test folder; exit code, stdout, stderr.</summary>
        private (int Code, string Stdout, string Stderr) Cli(string[] args)
        {
            var command = BrokerSimulationTests.CliCommand();
            var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
            // Credentials as an operator gives them, so that the check under test is the one that answers.
            psi.Environment["GATEWAY_MQTT_USER"] = "receiver";
            psi.Environment["GATEWAY_MQTT_PASSWORD"] = "not-used";
            foreach (var a in command.Skip(1).Concat(args))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "gateway " + string.Join(' ', args) + " did not finish");
            return (p.ExitCode, stdout.Result, stderr);
        }

        private static int ClosedPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
