using System;
using System.Collections.Generic;

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
                return ReadLeafCounts("SELECT device_id, leaves FROM log_leaf_counts");
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<ChainEventCount> CountChainEvents()
        {
            lock (_gate)
            {
                return ReadEventCounts("SELECT device_id, kind, messages, last_received_at_ms FROM chain_event_counts ORDER BY device_id, kind");
            }
        }
    }
}
