using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;

namespace Gateway.Cloud.Storage
{
    /// <summary>One numbered schema change, in each engine's SQL.</summary>
    /// <param name="Version">Its number; migrations apply in ascending order, each once.</param>
    /// <param name="Name">Its name (0001_initial, ...), shown by <c>cloud migrate --list</c>.</param>
    /// <param name="Sqlite">The statements for SQLite.</param>
    /// <param name="Postgres">The statements for PostgreSQL.</param>
    public sealed record SchemaMigration(int Version, string Name, string Sqlite, string Postgres);

    /// <summary>
    /// The receiver database's numbered migrations and the runner that applies them: the <c>schema_migrations</c>
    /// table records each applied one; pending ones are applied at start in one transaction (so a failure leaves the
    /// schema as it was) under a lock that makes receivers starting together apply each migration once.
    /// <c>0001_initial</c> is the schema the receiver created inline before migrations existed, written with
    /// <c>IF NOT EXISTS</c>: on such a database it changes nothing and is recorded, and the later ones upgrade it.
    /// </summary>
    public static class SchemaMigrations
    {
        /// <summary>Every migration, in order. Append only: never edit or renumber one that shipped.</summary>
        public static IReadOnlyList<SchemaMigration> All { get; } = new[]
        {
            new SchemaMigration(1, "0001_initial", Initial("BLOB"), Initial("BYTEA")),
            new SchemaMigration(2, "0002_conflicts_and_junk_counts", ConflictsAndJunk, ConflictsAndJunk),
            new SchemaMigration(3, "0003_transparency_log", TransparencyLog("BLOB", "X''"), TransparencyLog("BYTEA", "'\\x'::bytea")),
            new SchemaMigration(4, "0004_lora_fragments", LoRaFragments("BLOB"), LoRaFragments("BYTEA")),
            new SchemaMigration(5, "0005_fleet_summary", FleetSummary, FleetSummary),
        };

        /// <summary>
        /// What the fleet page reads without scanning the readings (SqlReceiverStore.Summary.cs): a row per device,
        /// the newest reading per device and channel, the audit rows' messages per device and kind and the log's leaves
        /// per device, kept in the transaction that writes what they count and filled here from what is stored; and a
        /// partial index for the event-code rows the alarm list reads.
        /// </summary>
        private static string FleetSummary => $"""
            CREATE TABLE IF NOT EXISTS device_summary (
                device_id BIGINT PRIMARY KEY,
                readings BIGINT NOT NULL,
                first_time_ms BIGINT NOT NULL,
                last_time_ms BIGINT NOT NULL,
                last_received_at_ms BIGINT NOT NULL,
                last_seq BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS latest_readings (
                device_id BIGINT NOT NULL,
                channel INTEGER NOT NULL,
                seq BIGINT NOT NULL,
                time_ms BIGINT NOT NULL,
                value INTEGER NOT NULL,
                status INTEGER NOT NULL,
                received_at_ms BIGINT NOT NULL,
                transport TEXT NOT NULL,
                PRIMARY KEY (device_id, channel));
            CREATE TABLE IF NOT EXISTS chain_event_counts (
                device_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                messages BIGINT NOT NULL,
                last_received_at_ms BIGINT NOT NULL,
                PRIMARY KEY (device_id, kind));
            CREATE TABLE IF NOT EXISTS log_leaf_counts (
                device_id BIGINT PRIMARY KEY,
                leaves BIGINT NOT NULL);
            {SqlReceiverStore.SummaryRecount}
            CREATE INDEX IF NOT EXISTS readings_events ON readings (device_id, time_ms, seq) WHERE channel = {SqlReceiverStore.EventChannel};
            """;

        /// <summary>DR2 fragments kept until their batch is whole (SqlReceiverStore.Fragments.cs).</summary>
        private static string LoRaFragments(string blobType) => $"""
            CREATE TABLE IF NOT EXISTS lora_fragments (
                dev_eui TEXT NOT NULL,
                first_fcnt BIGINT NOT NULL,
                frag_count INTEGER NOT NULL,
                frag_index INTEGER NOT NULL,
                body {blobType} NOT NULL,
                received_at_ms BIGINT NOT NULL,
                PRIMARY KEY (dev_eui, first_fcnt, frag_count, frag_index));
            CREATE INDEX IF NOT EXISTS lora_fragments_age ON lora_fragments (dev_eui, received_at_ms);
            """;

        private const string ConflictsAndJunk = """
            ALTER TABLE chain_events ADD COLUMN messages BIGINT NOT NULL DEFAULT 1;
            ALTER TABLE chain_events ADD COLUMN source TEXT;
            CREATE UNIQUE INDEX IF NOT EXISTS chain_events_junk ON chain_events (source, kind, received_at_ms) WHERE source IS NOT NULL;
            CREATE INDEX IF NOT EXISTS chain_events_device ON chain_events (device_id, received_at_ms);
            CREATE TABLE IF NOT EXISTS reading_conflicts (
                device_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                channel INTEGER NOT NULL,
                time_ms BIGINT NOT NULL,
                value INTEGER NOT NULL,
                status INTEGER NOT NULL,
                received_at_ms BIGINT NOT NULL,
                transport TEXT NOT NULL,
                PRIMARY KEY (device_id, seq, channel, time_ms, value, status));
            """;

        /// <summary>The transparency log (Transparency/README.md): leaves, completed subtrees, the one head row, checkpoints.</summary>
        private static string TransparencyLog(string blobType, string emptyBlob) => $"""
            CREATE TABLE IF NOT EXISTS log_leaves (
                idx BIGINT PRIMARY KEY,
                device_id BIGINT NOT NULL,
                first_seq BIGINT NOT NULL,
                count INTEGER NOT NULL,
                received_at_ms BIGINT NOT NULL,
                verdict INTEGER NOT NULL,
                transport TEXT NOT NULL,
                batch {blobType} NOT NULL,
                leaf_hash {blobType} NOT NULL);
            CREATE INDEX IF NOT EXISTS log_leaves_device ON log_leaves (device_id, first_seq);
            CREATE TABLE IF NOT EXISTS log_nodes (
                level INTEGER NOT NULL,
                idx BIGINT NOT NULL,
                hash {blobType} NOT NULL,
                PRIMARY KEY (level, idx));
            CREATE TABLE IF NOT EXISTS log_head (
                id INTEGER PRIMARY KEY,
                size BIGINT NOT NULL,
                frontier {blobType} NOT NULL,
                rejected BIGINT NOT NULL);
            INSERT INTO log_head (id, size, frontier, rejected) VALUES (1, 0, {emptyBlob}, 0) ON CONFLICT (id) DO NOTHING;
            CREATE TABLE IF NOT EXISTS log_checkpoints (
                size BIGINT PRIMARY KEY,
                signed_at_ms BIGINT NOT NULL,
                note TEXT NOT NULL);
            """;

        private static string Initial(string blobType) => $"""
            CREATE TABLE IF NOT EXISTS readings (
                device_id BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                channel INTEGER NOT NULL,
                time_ms BIGINT NOT NULL,
                value INTEGER NOT NULL,
                status INTEGER NOT NULL,
                received_at_ms BIGINT NOT NULL,
                transport TEXT NOT NULL,
                PRIMARY KEY (device_id, seq));
            CREATE INDEX IF NOT EXISTS readings_time ON readings (device_id, time_ms);
            CREATE TABLE IF NOT EXISTS gaps (
                device_id BIGINT NOT NULL,
                first_seq BIGINT NOT NULL,
                last_seq BIGINT NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (device_id, first_seq));
            CREATE TABLE IF NOT EXISTS chain_events (
                device_id BIGINT NOT NULL,
                received_at_ms BIGINT NOT NULL,
                transport TEXT NOT NULL,
                kind TEXT NOT NULL,
                first_seq BIGINT NOT NULL,
                count INTEGER NOT NULL,
                detail TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS chain_state (
                device_id BIGINT PRIMARY KEY,
                state {blobType} NOT NULL);
            CREATE TABLE IF NOT EXISTS downlink_counters (
                device_id BIGINT PRIMARY KEY,
                counter BIGINT NOT NULL);
            """;

        /// <summary>
        /// Applies every pending migration in one transaction and returns the ones it applied (none when up to date).
        /// </summary>
        public static IReadOnlyList<MigrationStatus> Apply(DbConnection connection, bool postgres)
        {
            ArgumentNullException.ThrowIfNull(connection);
            var applied = new List<MigrationStatus>();
            using var tx = BeginWrite(connection, postgres);
            if (postgres)
            {
                // Receivers starting together: the second waits here and then finds the migrations applied (SQLite:
                // the transaction already holds the database's write lock).
                Run(connection, tx, "SELECT pg_advisory_xact_lock(7147001)");
            }

            Run(connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)");

            var have = AppliedVersions(connection, tx);
            foreach (var m in All)
            {
                if (have.ContainsKey(m.Version))
                {
                    continue;
                }

                Run(connection, tx, postgres ? m.Postgres : m.Sqlite);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (@v, @n, @a)";
                SqlReceiverStore.AddParameter(cmd, "@v", m.Version);
                SqlReceiverStore.AddParameter(cmd, "@n", m.Name);
                SqlReceiverStore.AddParameter(cmd, "@a", now);
                cmd.ExecuteNonQuery();
                applied.Add(new MigrationStatus(m.Version, m.Name, now));
            }

            tx.Commit();
            return applied;
        }

        /// <summary>Every known migration with when it was applied (null: pending), changing nothing.</summary>
        public static IReadOnlyList<MigrationStatus> Status(DbConnection connection)
        {
            ArgumentNullException.ThrowIfNull(connection);
            var have = AppliedVersions(connection, null);
            var list = new List<MigrationStatus>();
            foreach (var m in All)
            {
                list.Add(new MigrationStatus(m.Version, m.Name, have.TryGetValue(m.Version, out var at) ? at : null));
            }

            // A database newer than this program: show what it has that this version does not know.
            foreach (var (version, at) in have)
            {
                if (version > All[^1].Version)
                {
                    list.Add(new MigrationStatus(version, "(unknown to this version)", at));
                }
            }

            return list;
        }

        private static DbTransaction BeginWrite(DbConnection connection, bool postgres) =>
            postgres ? connection.BeginTransaction() : ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: false);

        private static Dictionary<int, long> AppliedVersions(DbConnection connection, DbTransaction? tx)
        {
            var have = new Dictionary<int, long>();
            using var exists = connection.CreateCommand();
            exists.Transaction = tx;
            exists.CommandText = connection is Microsoft.Data.Sqlite.SqliteConnection
                ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return have;
            }

            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT version, applied_at_ms FROM schema_migrations ORDER BY version";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                have[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetInt64(1);
            }

            return have;
        }

        private static void Run(DbConnection connection, DbTransaction tx, string sql)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }
}
