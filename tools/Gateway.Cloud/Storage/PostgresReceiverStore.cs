using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
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
        protected override string LockSuffix => " FOR UPDATE";

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

        /// <summary>A transaction-scoped advisory lock per device's fragments (released at commit or rollback).</summary>
        protected override void LockFragments(DbTransaction tx, string devEui)
        {
            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "SELECT pg_advisory_xact_lock(hashtext('lora_fragments:' || @e))";
            cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = devEui });
            cmd.ExecuteNonQuery();
        }

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

        /// <summary>
        /// Every batch's readings in one statement, under a savepoint; when some were stored before (a resend, a
        /// redelivery, a batch twice in the group) the savepoint is rolled back and the batches go one by one, so
        /// each gets its own stored, duplicate and conflict counts.
        /// </summary>
        protected override IReadOnlyList<StoreResult> InsertBatches(IReadOnlyList<IReadOnlyList<ReceivedReading>> batches, DbTransaction tx)
        {
            if (batches.Count == 1)
            {
                return new[] { InsertReadings(batches[0], tx) };
            }

            var all = new List<ReceivedReading>();
            foreach (var b in batches)
            {
                all.AddRange(b);
            }

            using var cmd = ReadingsCommand(all, tx, "SAVEPOINT bulk_readings; ");
            if (cmd.ExecuteNonQuery() == all.Count)
            {
                Execute("RELEASE SAVEPOINT bulk_readings", tx);
                var results = new StoreResult[batches.Count];
                for (var i = 0; i < results.Length; i++)
                {
                    results[i] = new StoreResult(batches[i].Count, 0);
                }

                return results;
            }

            Execute("ROLLBACK TO SAVEPOINT bulk_readings", tx);
            return base.InsertBatches(batches, tx);
        }

        /// <summary>One round trip a batch: the readings go as arrays and are unnested server-side; duplicates are compared in a second.</summary>
        protected override StoreResult InsertReadings(IReadOnlyList<ReceivedReading> readings, DbTransaction tx)
        {
            var n = readings.Count;
            using var cmd = ReadingsCommand(readings, tx, string.Empty);
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

        /// <summary>Audit rows as arrays, one statement.</summary>
        protected override void AddChainEvents(IReadOnlyList<ChainEvent> events, DbTransaction tx)
        {
            var n = events.Count;
            var d = new long[n];
            var a = new long[n];
            var t = new string[n];
            var k = new string[n];
            var f = new long[n];
            var c = new int[n];
            var x = new string[n];
            var m = new long[n];
            var o = new string?[n];
            for (var i = 0; i < n; i++)
            {
                var e = events[i];
                (d[i], a[i], t[i], k[i], f[i], c[i], x[i], m[i], o[i]) = (e.DeviceId, e.ReceivedAtMs, e.Transport, e.Kind, e.FirstSequence, e.Count, e.Detail, e.Messages, e.Source);
            }

            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "INSERT INTO chain_events (device_id, received_at_ms, transport, kind, first_seq, count, detail, messages, source) " +
                              "SELECT * FROM unnest(@d, @a, @t, @k, @f, @c, @x, @m, @o)";
            Array(cmd, "d", NpgsqlDbType.Bigint, d);
            Array(cmd, "a", NpgsqlDbType.Bigint, a);
            Array(cmd, "t", NpgsqlDbType.Text, t);
            Array(cmd, "k", NpgsqlDbType.Text, k);
            Array(cmd, "f", NpgsqlDbType.Bigint, f);
            Array(cmd, "c", NpgsqlDbType.Integer, c);
            Array(cmd, "x", NpgsqlDbType.Text, x);
            Array(cmd, "m", NpgsqlDbType.Bigint, m);
            Array(cmd, "o", NpgsqlDbType.Text, o);
            cmd.ExecuteNonQuery();
        }

        /// <summary>Chain states as arrays, one statement.</summary>
        protected override void SaveChainStates(IReadOnlyList<ChainState> states, DbTransaction tx)
        {
            var d = new long[states.Count];
            var s = new byte[states.Count][];
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = states[i].DeviceId;
                s[i] = states[i].State;
            }

            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "INSERT INTO chain_state (device_id, state) SELECT * FROM unnest(@d, @s) ON CONFLICT (device_id) DO UPDATE SET state = excluded.state";
            Array(cmd, "d", NpgsqlDbType.Bigint, d);
            Array(cmd, "s", NpgsqlDbType.Bytea, s);
            cmd.ExecuteNonQuery();
        }

        /// <summary>Every device's counters in one statement.</summary>
        protected override Dictionary<uint, uint> ReserveDownlinkCounters(IReadOnlyDictionary<uint, int> counts, DbTransaction tx)
        {
            var d = new long[counts.Count];
            var n = new long[counts.Count];
            var i = 0;
            foreach (var (device, count) in counts.OrderBy(kv => kv.Key))
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
                (d[i], n[i]) = (device, count);
                i++;
            }

            using var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = "INSERT INTO downlink_counters (device_id, counter) SELECT * FROM unnest(@d, @n) " +
                              "ON CONFLICT (device_id) DO UPDATE SET counter = downlink_counters.counter + excluded.counter RETURNING device_id, counter";
            Array(cmd, "d", NpgsqlDbType.Bigint, d);
            Array(cmd, "n", NpgsqlDbType.Bigint, n);
            var first = new Dictionary<uint, uint>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var device = (uint)reader.GetInt64(0);
                first[device] = (uint)(reader.GetInt64(1) - counts[device] + 1);
            }

            return first;
        }

        private NpgsqlCommand ReadingsCommand(IReadOnlyList<ReceivedReading> readings, DbTransaction tx, string prefix)
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

            var cmd = (NpgsqlCommand)Connection.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = prefix + "INSERT INTO readings (device_id, seq, channel, time_ms, value, status, received_at_ms, transport) " +
                              "SELECT * FROM unnest(@d, @s, @c, @t, @v, @q, @a, @x) ON CONFLICT (device_id, seq) DO NOTHING";
            Array(cmd, "d", NpgsqlDbType.Bigint, d);
            Array(cmd, "s", NpgsqlDbType.Bigint, s);
            Array(cmd, "c", NpgsqlDbType.Integer, c);
            Array(cmd, "t", NpgsqlDbType.Bigint, t);
            Array(cmd, "v", NpgsqlDbType.Integer, v);
            Array(cmd, "q", NpgsqlDbType.Integer, q);
            Array(cmd, "a", NpgsqlDbType.Bigint, a);
            Array(cmd, "x", NpgsqlDbType.Text, x);
            return cmd;
        }

        private static void Array(NpgsqlCommand cmd, string name, NpgsqlDbType type, object values) =>
            cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values });

        private static NpgsqlConnection Open(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return connection;
        }
    }
}
