using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The PostgreSQL option for a region's shared database: several receivers (MQTT shared subscriptions) write one
    /// database. Every write transaction sets <c>synchronous_commit</c> on (the commit returns after the WAL is on
    /// disk, whatever the server's default), locks the chain_state rows of the devices it touches (inserted first
    /// when missing, locked FOR UPDATE in ascending device order), and (device, sequence) stays the single source
    /// of deduplication. Serialization failures and deadlocks are retried.
    /// </summary>
    public sealed class PostgresReceiverStore : SqlReceiverStore
    {
        /// <summary>Connects with an Npgsql connection string (Host=...;Port=...;Database=...;Username=...) and applies pending migrations.</summary>
        public PostgresReceiverStore(string connectionString)
            : this(connectionString, migrate: true)
        {
        }

        /// <summary>Connects; applies pending migrations when <paramref name="migrate"/>.</summary>
        public PostgresReceiverStore(string connectionString, bool migrate)
            : base(Open(connectionString), postgres: true, migrate)
        {
        }

        /// <inheritdoc />
        public override string Engine => "postgres";

        /// <inheritdoc />
        public override string Durability
        {
            get
            {
                var fsync = Convert.ToString(Scalar("SHOW fsync"), CultureInfo.InvariantCulture);
                return fsync == "on"
                    ? "durable: synchronous_commit=on per transaction, server fsync=on"
                    : $"NOT durable: the server runs with fsync={fsync} (synchronous_commit=on per transaction cannot help)";
            }
        }

        /// <inheritdoc />
        protected override DbTransaction BeginDurable()
        {
            var tx = ((NpgsqlConnection)Connection).BeginTransaction();
            Execute("SET LOCAL synchronous_commit TO on", tx);
            return tx;
        }

        /// <inheritdoc />
        protected override bool IsTransient(Exception ex) =>
            ex is PostgresException { SqlState: "40001" or "40P01" } // serialization_failure, deadlock_detected
            || ex.InnerException is PostgresException { SqlState: "40001" or "40P01" };

        /// <summary>Inserts the missing lock rows, then locks every row in ascending device order; one round trip.</summary>
        protected override Dictionary<uint, byte[]> LockChainStates(DbTransaction tx, uint[] sortedIds)
        {
            var ids = new long[sortedIds.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = sortedIds[i];
            }

            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "INSERT INTO chain_state (device_id, state) SELECT unnest(@ids), ''::bytea ON CONFLICT (device_id) DO NOTHING; " +
                              "SELECT device_id, state FROM chain_state WHERE device_id = ANY(@ids) ORDER BY device_id FOR UPDATE";
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
            var states = new Dictionary<uint, byte[]>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetValue(1) is byte[] { Length: > 0 } state)
                {
                    states[(uint)reader.GetInt64(0)] = state;
                }
            }

            return states;
        }

        /// <summary>One round trip a batch: the readings go as arrays and are unnested server-side; duplicates are compared in a second.</summary>
        protected override StoreResult InsertReadings(IReadOnlyList<ReceivedReading> readings, DbTransaction tx)
        {
            var n = readings.Count;
            var d = new long[n];
            var s = new long[n];
            var c = new int[n];
            var t = new long[n];
            var v = new int[n];
            var q = new int[n];
            var a = new long[n];
            var x = new string[n];
            for (var i = 0; i < n; i++)
            {
                var r = readings[i];
                d[i] = r.DeviceId;
                s[i] = r.Sequence;
                c[i] = r.Channel;
                t[i] = r.TimeMs;
                v[i] = r.Value;
                q[i] = r.Status;
                a[i] = r.ReceivedAtMs;
                x[i] = r.Transport ?? throw new ArgumentException("a reading needs its transport", nameof(readings));
            }

            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "INSERT INTO readings (device_id, seq, channel, time_ms, value, status, received_at_ms, transport) " +
                              "SELECT * FROM unnest(@d, @s, @c, @t, @v, @q, @a, @x) ON CONFLICT (device_id, seq) DO NOTHING";
            cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = d });
            cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = s });
            cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = c });
            cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = t });
            cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = v });
            cmd.Parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = q });
            cmd.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = a });
            cmd.Parameters.Add(new NpgsqlParameter("x", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = x });
            var stored = cmd.ExecuteNonQuery();
            if (stored == n)
            {
                return new StoreResult(stored, 0);
            }

            // Some were stored before: the ones whose stored values differ are conflicts, kept aside (the first values stay).
            cmd.CommandText = "WITH b AS (SELECT * FROM unnest(@d, @s, @c, @t, @v, @q, @a, @x) AS b(device_id, seq, channel, time_ms, value, status, received_at_ms, transport)), " +
                              "diff AS (SELECT b.* FROM b JOIN readings r ON r.device_id = b.device_id AND r.seq = b.seq " +
                              "WHERE (r.channel, r.time_ms, r.value, r.status) IS DISTINCT FROM (b.channel, b.time_ms, b.value, b.status)), " +
                              "kept AS (INSERT INTO reading_conflicts SELECT * FROM diff ON CONFLICT DO NOTHING) " +
                              "SELECT COUNT(*) FROM diff";
            var conflicts = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new StoreResult(stored, n - stored, conflicts);
        }

        private static NpgsqlConnection Open(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return connection;
        }
    }
}
