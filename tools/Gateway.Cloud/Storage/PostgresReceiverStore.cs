using System.Collections.Generic;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The PostgreSQL option for a region's shared database (several receivers behind MQTT shared subscriptions write
    /// to one database; (device, sequence) stays the single source of deduplication).
    /// </summary>
    public sealed class PostgresReceiverStore : SqlReceiverStore
    {
        /// <summary>Connects with an Npgsql connection string (Host=...;Port=...;Database=...;Username=...).</summary>
        public PostgresReceiverStore(string connectionString)
            : base(Open(connectionString), "BYTEA")
        {
        }

        /// <inheritdoc />
        public override string Engine => "postgres";

        /// <summary>One round trip a batch: the readings go as arrays and are unnested server-side.</summary>
        protected override int InsertReadings(IReadOnlyList<ReceivedReading> readings, System.Data.Common.DbTransaction tx)
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
                x[i] = r.Transport;
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
            return cmd.ExecuteNonQuery();
        }

        private static NpgsqlConnection Open(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return connection;
        }
    }
}
