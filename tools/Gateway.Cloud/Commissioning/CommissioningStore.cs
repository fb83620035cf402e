using System;
using System.Collections.Generic;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gateway.Cloud.Commissioning
{
    /// <summary>One stored (verified) commissioning record.</summary>
    /// <param name="DeviceId">The gateway.</param>
    /// <param name="KeyId">The key that signed it.</param>
    /// <param name="RecordTimeMs">When the gateway made it, Unix ms UTC.</param>
    /// <param name="ReceivedAtMs">When the receiver stored it.</param>
    /// <param name="Transport">How it arrived.</param>
    /// <param name="Passed">True when every on-site check passed.</param>
    /// <param name="TagHex">The record's 8-byte tag, hex (its identity).</param>
    /// <param name="RecordHex">The whole record, hex.</param>
    /// <param name="Summary">The record's human lines, joined with " | ".</param>
    public sealed record CommissioningRow(uint DeviceId, int KeyId, long RecordTimeMs, long ReceivedAtMs, string Transport, bool Passed, string TagHex, string RecordHex, string Summary);

    /// <summary>
    /// The <c>commissioning</c> table, in the receiver's database (same <c>--db</c> spec: SQLite file or
    /// <c>postgres:</c> connection string), on its own connection so the readings store stays untouched.
    /// </summary>
    public sealed class CommissioningStore : IDisposable
    {
        private readonly DbConnection _connection;

        /// <summary>Opens the database named like the receiver's <c>--db</c> and creates the table if missing.</summary>
        public CommissioningStore(string spec)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(spec);
            if (spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
            {
                _connection = new NpgsqlConnection(spec["postgres:".Length..]);
                _connection.Open();
            }
            else
            {
                var path = spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec["sqlite:".Length..] : spec;
                var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
                sqlite.Open();
                using (var pragma = sqlite.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;";
                    pragma.ExecuteNonQuery();
                }

                _connection = sqlite;
            }

            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE IF NOT EXISTS commissioning (
                    device_id BIGINT NOT NULL,
                    key_id INTEGER NOT NULL,
                    record_time_ms BIGINT NOT NULL,
                    received_at_ms BIGINT NOT NULL,
                    transport TEXT NOT NULL,
                    passed INTEGER NOT NULL,
                    tag_hex TEXT NOT NULL,
                    record_hex TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    PRIMARY KEY (device_id, tag_hex));
                """;
            cmd.ExecuteNonQuery();
        }

        /// <summary>Stores a verified record; false when the same record (device, tag) was already stored.</summary>
        public bool Store(CommissioningRow row)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "INSERT INTO commissioning (device_id, key_id, record_time_ms, received_at_ms, transport, passed, tag_hex, record_hex, summary) " +
                              "VALUES (@d, @k, @t, @a, @x, @p, @g, @r, @s) ON CONFLICT (device_id, tag_hex) DO NOTHING";
            Add(cmd, "@d", (long)row.DeviceId);
            Add(cmd, "@k", row.KeyId);
            Add(cmd, "@t", row.RecordTimeMs);
            Add(cmd, "@a", row.ReceivedAtMs);
            Add(cmd, "@x", row.Transport);
            Add(cmd, "@p", row.Passed ? 1 : 0);
            Add(cmd, "@g", row.TagHex);
            Add(cmd, "@r", row.RecordHex);
            Add(cmd, "@s", row.Summary);
            return cmd.ExecuteNonQuery() == 1;
        }

        /// <summary>Newest record time stored for a device, or null.</summary>
        public long? NewestRecordTime(uint deviceId)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT MAX(record_time_ms) FROM commissioning WHERE device_id = @d";
            Add(cmd, "@d", (long)deviceId);
            var v = cmd.ExecuteScalar();
            return v is null or DBNull ? null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Records of one device (or all when null), oldest first.</summary>
        public IReadOnlyList<CommissioningRow> Query(uint? deviceId = null)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, key_id, record_time_ms, received_at_ms, transport, passed, tag_hex, record_hex, summary FROM commissioning" +
                              (deviceId is null ? "" : " WHERE device_id = @d") + " ORDER BY device_id, record_time_ms";
            if (deviceId is not null)
            {
                Add(cmd, "@d", (long)deviceId.Value);
            }

            var rows = new List<CommissioningRow>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add(new CommissioningRow((uint)r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetInt32(5) != 0,
                    r.GetString(6), r.GetString(7), r.GetString(8)));
            }

            return rows;
        }

        /// <inheritdoc />
        public void Dispose() => _connection.Dispose();

        private static void Add(DbCommand cmd, string name, object value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
    }
}
