using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Gateway.Cloud.Storage
{
    /// <summary>The read side the fleet page uses: devices at a glance, one channel across devices, audit counts.</summary>
    public abstract partial class SqlReceiverStore
    {
        /// <inheritdoc />
        public IReadOnlyList<DeviceActivity> QueryDevices()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, COUNT(*), MIN(time_ms), MAX(time_ms), MAX(received_at_ms), MAX(seq) FROM readings GROUP BY device_id ORDER BY device_id";
                var list = new List<DeviceActivity>();
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    list.Add(new DeviceActivity((uint)reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), (uint)reader.GetInt64(5)));
                }

                return list;
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryChannel(byte channel, uint? deviceId = null)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM readings WHERE channel = @c" +
                                  (deviceId.HasValue ? " AND device_id = @d" : string.Empty) + " ORDER BY device_id, time_ms, seq";
                AddParameter(cmd, "@c", (int)channel);
                if (deviceId.HasValue)
                {
                    AddParameter(cmd, "@d", (long)deviceId.Value);
                }

                return ReadReadings(cmd);
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryLatest(byte channel)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT r.device_id, r.seq, r.channel, r.time_ms, r.value, r.status, r.received_at_ms, r.transport FROM readings r " +
                                  "JOIN (SELECT device_id, MAX(time_ms) AS newest FROM readings WHERE channel = @c GROUP BY device_id) n " +
                                  "ON r.device_id = n.device_id AND r.time_ms = n.newest WHERE r.channel = @c ORDER BY r.device_id, r.seq";
                AddParameter(cmd, "@c", (int)channel);
                var newest = new List<ReceivedReading>();
                foreach (var r in ReadReadings(cmd))
                {
                    // Two readings at the same instant: the later sequence wins.
                    if (newest.Count > 0 && newest[^1].DeviceId == r.DeviceId)
                    {
                        newest[^1] = r;
                    }
                    else
                    {
                        newest.Add(r);
                    }
                }

                return newest;
            }
        }

        /// <inheritdoc />
        public IReadOnlyDictionary<uint, long> CountLogLeaves()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, COUNT(*) FROM log_leaves GROUP BY device_id";
                var counts = new Dictionary<uint, long>();
                using DbDataReader reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    counts[(uint)reader.GetInt64(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                }

                return counts;
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainEventCount> CountChainEvents()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, kind, SUM(messages), MAX(received_at_ms) FROM chain_events GROUP BY device_id, kind ORDER BY device_id, kind";
                var list = new List<ChainEventCount>();
                using DbDataReader reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    list.Add(new ChainEventCount((uint)reader.GetInt64(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(3)));
                }

                return list;
            }
        }
    }
}
