using System;
using System.Collections.Generic;
using System.Data.Common;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The read side the fleet page uses: devices at a glance and the newest reading per channel (from the summary,
    /// SqlReceiverStore.Summary.cs), one channel across devices (the channel number is written into the statement so
    /// that the event codes' partial index applies), audit counts.
    /// </summary>
    public abstract partial class SqlReceiverStore
    {
        /// <inheritdoc />
        public IReadOnlyList<DeviceActivity> QueryDevices()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, readings, first_time_ms, last_time_ms, last_received_at_ms, last_seq FROM device_summary ORDER BY device_id";
                return ReadActivity(cmd);
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ReceivedReading> QueryChannel(byte channel, uint? deviceId = null)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM readings WHERE channel = " + channel.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                                  (deviceId.HasValue ? " AND device_id = @d" : string.Empty) + " ORDER BY device_id, time_ms, seq";
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
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM latest_readings WHERE channel = @c ORDER BY device_id";
                AddParameter(cmd, "@c", (int)channel);
                return ReadReadings(cmd);
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
