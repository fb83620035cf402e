using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;

namespace Gateway.Cloud.Storage
{
    /// <summary>The read side: readings, gaps, the audit trail, conflicts, chain states.</summary>
    public abstract partial class SqlReceiverStore
    {
        /// <inheritdoc />
        public byte[]? LoadChainState(uint deviceId)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT state FROM chain_state WHERE device_id = @d";
                AddParameter(cmd, "@d", (long)deviceId);
                return cmd.ExecuteScalar() is byte[] { Length: > 0 } state ? state : null;
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainState> LoadChainStates()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, state FROM chain_state ORDER BY device_id";
                var list = new List<ChainState>();
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    // An empty state is a lock row a receiver inserted before the device's first batch committed.
                    if (reader.GetValue(1) is byte[] { Length: > 0 } state)
                    {
                        list.Add(new ChainState((uint)reader.GetInt64(0), state));
                    }
                }

                return list;
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryReadings(uint deviceId, long fromMs, long toMs)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM readings " +
                                  "WHERE device_id = @d AND time_ms >= @f AND time_ms < @t ORDER BY seq";
                AddParameter(cmd, "@d", (long)deviceId);
                AddParameter(cmd, "@f", fromMs);
                AddParameter(cmd, "@t", toMs);
                return ReadReadings(cmd);
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryConflicts(uint? deviceId = null)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM reading_conflicts" +
                                  (deviceId.HasValue ? " WHERE device_id = @d" : string.Empty) + " ORDER BY device_id, seq, received_at_ms";
                if (deviceId.HasValue)
                {
                    AddParameter(cmd, "@d", (long)deviceId.Value);
                }

                return ReadReadings(cmd);
            }
        }

        /// <inheritdoc />
        /// <remarks>Streams from the store's connection: use the store for nothing else until the enumeration ends.</remarks>
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
            lock (_gate)
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
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainEvent> QueryChainEvents(uint? deviceId = null)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, received_at_ms, transport, kind, first_seq, count, detail, messages, source FROM chain_events" +
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
                        (uint)reader.GetInt64(4), reader.GetInt32(5), reader.GetString(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
                }

                return list;
            }
        }

        /// <inheritdoc />
        public long CountReadings(uint? deviceId = null)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT COUNT(*) FROM readings" + (deviceId.HasValue ? " WHERE device_id = @d" : string.Empty);
                if (deviceId.HasValue)
                {
                    AddParameter(cmd, "@d", (long)deviceId.Value);
                }

                return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
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
