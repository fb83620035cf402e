using System;
using System.Collections.Concurrent;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cli.Commands;
using Gateway.Cloud.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>Numbered migrations on each engine: fresh databases, the inline schema of earlier receivers, receivers starting together.</summary>
    public abstract class SchemaMigrationContract
    {
        /// <summary>The schema receivers created inline before migrations existed, with one row of each kind.</summary>
        protected const string LegacySchema = """
            CREATE TABLE readings (device_id BIGINT NOT NULL, seq BIGINT NOT NULL, channel INTEGER NOT NULL, time_ms BIGINT NOT NULL,
                value INTEGER NOT NULL, status INTEGER NOT NULL, received_at_ms BIGINT NOT NULL, transport TEXT NOT NULL, PRIMARY KEY (device_id, seq));
            CREATE INDEX readings_time ON readings (device_id, time_ms);
            CREATE TABLE gaps (device_id BIGINT NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (device_id, first_seq));
            CREATE TABLE chain_events (device_id BIGINT NOT NULL, received_at_ms BIGINT NOT NULL, transport TEXT NOT NULL, kind TEXT NOT NULL,
                first_seq BIGINT NOT NULL, count INTEGER NOT NULL, detail TEXT NOT NULL);
            CREATE TABLE chain_state (device_id BIGINT PRIMARY KEY, state {0} NOT NULL);
            CREATE TABLE downlink_counters (device_id BIGINT PRIMARY KEY, counter BIGINT NOT NULL);
            INSERT INTO readings VALUES (7, 1, 2, 1000, 42, 0, 5, 'lora');
            INSERT INTO chain_events VALUES (7, 5, 'lora', 'dropped', 1, 1, 'chain broken');
            INSERT INTO downlink_counters VALUES (7, 41);
            """;

        /// <summary>A spec for a fresh, empty database (nothing created yet for SQLite).</summary>
        protected abstract string FreshSpec();

        /// <summary>Opens a raw connection to the database of <paramref name="spec"/>.</summary>
        protected abstract DbConnection Raw(string spec);

        /// <summary>The blob type of the engine.</summary>
        protected abstract string BlobType { get; }

        /// <summary>Opens the store of <paramref name="spec"/>, applying migrations.</summary>
        protected abstract SqlReceiverStore Open(string spec);

        [Fact]
        public void A_fresh_database_gets_every_migration_once()
        {
            var spec = FreshSpec();
            using (var store = Open(spec))
            {
                Assert.Equal(SchemaMigrations.All.Select(m => m.Version), store.AppliedAtOpen.Select(m => m.Version));
                Assert.All(store.Migrations(), m => Assert.True(m.Applied));
                Assert.StartsWith("0001_initial", store.Migrations()[0].Name, StringComparison.Ordinal);
            }

            using var again = Open(spec);
            Assert.Empty(again.AppliedAtOpen);
            Assert.Equal(SchemaMigrations.All.Count, again.Migrations().Count(m => m.Applied));
        }

        [Fact]
        public void A_database_of_the_inline_schema_is_recognised_and_upgraded_with_its_data()
        {
            var spec = FreshSpec();
            using (var raw = Raw(spec))
            {
                using var cmd = raw.CreateCommand();
                cmd.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, LegacySchema, BlobType);
                cmd.ExecuteNonQuery();
            }

            // cloud migrate --list: every migration pending, nothing changed.
            var list = new StringWriter();
            Assert.Equal(0, CloudMigrateCommand.Run(spec, listOnly: true, json: false, list, new StringWriter()));
            Assert.Contains("0001_initial", list.ToString(), StringComparison.Ordinal);
            Assert.Contains($"{SchemaMigrations.All.Count} pending", list.ToString(), StringComparison.Ordinal);

            var output = new StringWriter();
            Assert.Equal(0, CloudMigrateCommand.Run(spec, listOnly: false, json: true, output, new StringWriter()));
            Assert.Contains("\"state\":\"applied now\"", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("pending", output.ToString(), StringComparison.Ordinal);

            using var store = Open(spec);
            Assert.Empty(store.AppliedAtOpen);
            Assert.Equal(42, Assert.Single(store.QueryReadings(7, 0, 10_000)).Value);
            // 0005 filled the fleet summary from the readings already stored.
            Assert.Equal(new DeviceActivity(7, 1, 1000, 1000, 5, 1), Assert.Single(store.QueryDevices()));
            Assert.Equal(42, Assert.Single(store.QueryLatest(2)).Value);
            var old = Assert.Single(store.QueryChainEvents(7));
            Assert.Equal(("dropped", 1L, (string?)null), (old.Kind, old.Messages, old.Source));
            Assert.Equal(42u, store.NextDownlinkCounter(7));
            store.CountJunk(new[] { new JunkCount("gw/7/up", "cellular", "malformed", 61_000, 3, 0, 0, 0, "not a batch") });
            Assert.Equal(3, store.QueryChainEvents().Single(e => e.Source == "gw/7/up").Messages);
        }

        [Fact]
        public void Readings_an_older_receiver_wrote_are_counted_into_the_fleet_summary_on_request()
        {
            var spec = FreshSpec();
            using (var store = Open(spec))
            {
                store.StoreReadings(new[] { new ReceivedReading(7, 1, 2, 1000, 42, 0, 5, "lora") });
            }

            using (var raw = Raw(spec))
            {
                using var cmd = raw.CreateCommand();
                cmd.CommandText = "INSERT INTO readings VALUES (7, 2, 2, 2000, 43, 0, 6, 'lora'); INSERT INTO readings VALUES (8, 1, 8, 3000, 3700, 0, 7, 'cellular')";
                cmd.ExecuteNonQuery();
            }

            using (var stale = Open(spec))
            {
                Assert.NotEqual(stale.QueryDevicesByScan(), stale.QueryDevices());
            }

            Assert.Equal(2, CloudMigrateCommand.Run(spec, listOnly: true, json: false, new StringWriter(), new StringWriter(), recountSummary: true));
            var output = new StringWriter();
            Assert.Equal(0, CloudMigrateCommand.Run(spec, listOnly: false, json: false, output, new StringWriter(), recountSummary: true));
            Assert.Contains("counted again from the readings: 2 device(s)", output.ToString(), StringComparison.Ordinal);
            using var fixedUp = Open(spec);
            Assert.Equal(fixedUp.QueryDevicesByScan(), fixedUp.QueryDevices());
            Assert.Equal(43, fixedUp.QueryLatest(2).Single().Value);
            Assert.Equal(3700, fixedUp.QueryLatest(8).Single().Value);
        }

        [Fact]
        public void Receivers_starting_together_apply_each_migration_once()
        {
            var spec = FreshSpec();
            using (Open(spec))
            {
                // Create the database (SQLite) so the racers below only race on migrations.
            }

            using (var raw = Raw(spec))
            {
                using var drop = raw.CreateCommand();
                drop.CommandText = "DROP TABLE schema_migrations; DROP TABLE reading_conflicts; DROP INDEX chain_events_junk; DROP INDEX chain_events_device; " +
                                   "ALTER TABLE chain_events DROP COLUMN messages; ALTER TABLE chain_events DROP COLUMN source;";
                drop.ExecuteNonQuery();
            }

            var failures = new ConcurrentQueue<Exception>();
            var applied = new ConcurrentQueue<int>();
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                try
                {
                    using var s = Open(spec);
                    foreach (var m in s.AppliedAtOpen)
                    {
                        applied.Enqueue(m.Version);
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.Equal(SchemaMigrations.All.Select(m => m.Version), applied.Order());
        }
    }

    public sealed class SqliteSchemaMigrationTests : SchemaMigrationContract, IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-migr-" + Guid.NewGuid().ToString("N")[..8]);

        public SqliteSchemaMigrationTests() => Directory.CreateDirectory(_dir);

        protected override string BlobType => "BLOB";

        protected override string FreshSpec() => "sqlite:" + Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");

        protected override DbConnection Raw(string spec)
        {
            var c = new SqliteConnection("Data Source=" + spec["sqlite:".Length..] + ";Pooling=False");
            c.Open();
            return c;
        }

        protected override SqlReceiverStore Open(string spec) => new SqliteReceiverStore(spec["sqlite:".Length..]);

        [Fact]
        public void Listing_a_missing_file_creates_nothing_and_says_so()
        {
            var spec = FreshSpec();
            var error = new StringWriter();
            Assert.Equal(2, CloudMigrateCommand.Run(spec, listOnly: true, json: false, new StringWriter(), error));
            Assert.Contains("no database file", error.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(spec["sqlite:".Length..]));
        }

        [Fact]
        public void Commits_are_durable_write_ahead_log_with_synchronous_full()
        {
            using var store = Open(FreshSpec());
            Assert.Equal("durable: journal_mode=wal, synchronous=FULL", store.Durability);
        }

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresSchemaMigrationTests : SchemaMigrationContract
    {
        private readonly PostgresServer _server;

        public PostgresSchemaMigrationTests(PostgresServer server) => _server = server;

        protected override string BlobType => "BYTEA";

        protected override string FreshSpec() => "postgres:" + _server.CreateDatabase();

        protected override DbConnection Raw(string spec)
        {
            var c = new NpgsqlConnection(spec["postgres:".Length..]);
            c.Open();
            return c;
        }

        protected override SqlReceiverStore Open(string spec) => new PostgresReceiverStore(spec["postgres:".Length..]);

        [Fact]
        public void Every_write_transaction_asks_for_a_synchronous_commit_whatever_the_database_default()
        {
            var spec = FreshSpec();
            using (var raw = Raw(spec))
            {
                using var cmd = raw.CreateCommand();
                cmd.CommandText = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$";
                cmd.ExecuteNonQuery();
            }

            using var store = Open(spec);
            var connection = (NpgsqlConnection)typeof(SqlReceiverStore)
                .GetProperty("Connection", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store)!;
            string Show()
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = "SHOW synchronous_commit";
                return (string)cmd.ExecuteScalar()!;
            }

            Assert.Equal("off", Show());
            Assert.Equal("on", store.Commit(t =>
            {
                t.AddChainEvent(new ChainEvent(1, 1, "lora", "accepted", 1, 1, "x"));
                return Show();
            }));
            Assert.Equal("off", Show());
        }
    }
}
