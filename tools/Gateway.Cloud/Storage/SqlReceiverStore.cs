using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The schema and queries both engines share (standard SQL with <c>ON CONFLICT</c>, which SQLite and PostgreSQL
    /// both speak). Engines override what they do faster their own way.
    /// </summary>
    public abstract class SqlReceiverStore : IReceiverStore
    {
        /// <summary>The open connection; one store serves one receiver thread.</summary>
        protected DbConnection Connection { get; }

        /// <summary>Opens the store on an open connection and creates the schema if it is missing.</summary>
        protected SqlReceiverStore(DbConnection connection, string blobType)
        {
            Connection = connection;
            Execute($"""
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
                """);
        }

        /// <inheritdoc />
        public abstract string Engine { get; }

        /// <inheritdoc />
        public StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings) => StoreReadings(readings, null);

        /// <inheritdoc />
        public StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings, ChainState? chainState)
        {
            ArgumentNullException.ThrowIfNull(readings);
            if (readings.Count == 0 && chainState is null)
            {
                return new StoreResult(0, 0);
            }

            using var tx = Connection.BeginTransaction();
            var stored = readings.Count == 0 ? 0 : InsertReadings(readings, tx);
            if (chainState is not null)
            {
                SaveChainState(chainState.DeviceId, chainState.State, tx);
            }

            tx.Commit();
            return new StoreResult(stored, readings.Count - stored);
        }

        /// <summary>Inserts readings inside <paramref name="tx"/> (duplicates left as they were); returns how many were new.</summary>
        protected virtual int InsertReadings(IReadOnlyList<ReceivedReading> readings, DbTransaction tx)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO readings (device_id, seq, channel, time_ms, value, status, received_at_ms, transport) " +
                              "VALUES (@d, @s, @c, @t, @v, @q, @a, @x) ON CONFLICT (device_id, seq) DO NOTHING";
            var d = AddParameter(cmd, "@d", 0L);
            var s = AddParameter(cmd, "@s", 0L);
            var c = AddParameter(cmd, "@c", 0);
            var t = AddParameter(cmd, "@t", 0L);
            var v = AddParameter(cmd, "@v", 0);
            var q = AddParameter(cmd, "@q", 0);
            var a = AddParameter(cmd, "@a", 0L);
            var x = AddParameter(cmd, "@x", string.Empty);
            cmd.Prepare();
            var stored = 0;
            foreach (var r in readings)
            {
                d.Value = (long)r.DeviceId;
                s.Value = (long)r.Sequence;
                c.Value = (int)r.Channel;
                t.Value = r.TimeMs;
                v.Value = r.Value;
                q.Value = (int)r.Status;
                a.Value = r.ReceivedAtMs;
                x.Value = r.Transport;
                stored += cmd.ExecuteNonQuery();
            }

            return stored;
        }

        /// <inheritdoc />
        public void StoreGaps(IReadOnlyList<GapRecord> gaps)
        {
            using var tx = Connection.BeginTransaction();
            foreach (var g in gaps)
            {
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO gaps (device_id, first_seq, last_seq, reason) VALUES (@d, @f, @l, @r) " +
                                  "ON CONFLICT (device_id, first_seq) DO NOTHING";
                AddParameter(cmd, "@d", (long)g.DeviceId);
                AddParameter(cmd, "@f", (long)g.FirstSequence);
                AddParameter(cmd, "@l", (long)g.LastSequence);
                AddParameter(cmd, "@r", g.Reason);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }

        /// <inheritdoc />
        public void StoreChainEvent(ChainEvent e)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "INSERT INTO chain_events (device_id, received_at_ms, transport, kind, first_seq, count, detail) " +
                              "VALUES (@d, @a, @t, @k, @f, @c, @x)";
            AddParameter(cmd, "@d", (long)e.DeviceId);
            AddParameter(cmd, "@a", e.ReceivedAtMs);
            AddParameter(cmd, "@t", e.Transport);
            AddParameter(cmd, "@k", e.Kind);
            AddParameter(cmd, "@f", (long)e.FirstSequence);
            AddParameter(cmd, "@c", e.Count);
            AddParameter(cmd, "@x", e.Detail);
            cmd.ExecuteNonQuery();
        }

        /// <inheritdoc />
        public void SaveChainState(uint deviceId, byte[] state) => SaveChainState(deviceId, state, null);

        private void SaveChainState(uint deviceId, byte[] state, DbTransaction? tx)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO chain_state (device_id, state) VALUES (@d, @s) " +
                              "ON CONFLICT (device_id) DO UPDATE SET state = excluded.state";
            AddParameter(cmd, "@d", (long)deviceId);
            AddParameter(cmd, "@s", state);
            cmd.ExecuteNonQuery();
        }

        /// <inheritdoc />
        public uint NextDownlinkCounter(uint deviceId)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "INSERT INTO downlink_counters (device_id, counter) VALUES (@d, 1) " +
                              "ON CONFLICT (device_id) DO UPDATE SET counter = downlink_counters.counter + 1 RETURNING counter";
            AddParameter(cmd, "@d", (long)deviceId);
            return (uint)Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <inheritdoc />
        public byte[]? LoadChainState(uint deviceId)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT state FROM chain_state WHERE device_id = @d";
            AddParameter(cmd, "@d", (long)deviceId);
            return cmd.ExecuteScalar() as byte[];
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainState> LoadChainStates()
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, state FROM chain_state ORDER BY device_id";
            var list = new List<ChainState>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new ChainState((uint)reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }

            return list;
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryReadings(uint deviceId, long fromMs, long toMs)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM readings " +
                              "WHERE device_id = @d AND time_ms >= @f AND time_ms < @t ORDER BY seq";
            AddParameter(cmd, "@d", (long)deviceId);
            AddParameter(cmd, "@f", fromMs);
            AddParameter(cmd, "@t", toMs);
            return ReadReadings(cmd);
        }

        /// <inheritdoc />
        public IEnumerable<ReceivedReading> AllReadings()
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM readings ORDER BY device_id, seq";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                yield return ReadReading(reader);
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<GapRecord> QueryGaps(uint deviceId)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, first_seq, last_seq, reason FROM gaps WHERE device_id = @d ORDER BY first_seq";
            AddParameter(cmd, "@d", (long)deviceId);
            var list = new List<GapRecord>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new GapRecord((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), (uint)reader.GetInt64(2), reader.GetString(3)));
            }

            return list;
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainEvent> QueryChainEvents(uint? deviceId = null)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT device_id, received_at_ms, transport, kind, first_seq, count, detail FROM chain_events" +
                              (deviceId.HasValue ? " WHERE device_id = @d" : string.Empty) + " ORDER BY received_at_ms";
            if (deviceId.HasValue)
            {
                AddParameter(cmd, "@d", (long)deviceId.Value);
            }

            var list = new List<ChainEvent>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new ChainEvent((uint)reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                    (uint)reader.GetInt64(4), reader.GetInt32(5), reader.GetString(6)));
            }

            return list;
        }

        /// <inheritdoc />
        public long CountReadings(uint? deviceId = null)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM readings" + (deviceId.HasValue ? " WHERE device_id = @d" : string.Empty);
            if (deviceId.HasValue)
            {
                AddParameter(cmd, "@d", (long)deviceId.Value);
            }

            return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Connection.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Runs a statement (or several, separated by semicolons) that returns nothing.</summary>
        protected void Execute(string sql)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        /// <summary>Adds a named parameter with a value and returns it.</summary>
        protected static DbParameter AddParameter(DbCommand cmd, string name, object value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
            return p;
        }

        private static List<ReceivedReading> ReadReadings(DbCommand cmd)
        {
            var list = new List<ReceivedReading>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(ReadReading(reader));
            }

            return list;
        }

        private static ReceivedReading ReadReading(DbDataReader reader) => new(
            (uint)reader.GetInt64(0), (uint)reader.GetInt64(1), (byte)reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4), (ushort)reader.GetInt32(5),
            reader.GetInt64(6), reader.GetString(7));
    }
}
