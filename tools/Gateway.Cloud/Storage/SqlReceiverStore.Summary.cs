using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The fleet summary (migration 0005): a row per device (readings, oldest and newest measurement, newest arrival,
    /// newest sequence) and the newest reading per device and channel, kept in the same transaction as the readings,
    /// so the fleet page reads a few rows per gateway instead of scanning every reading while the receiver waits.
    /// </summary>
    public abstract partial class SqlReceiverStore
    {
        /// <summary>The event-code channel, whose rows have their own partial index (the alarm list reads them all).</summary>
        public const int EventChannel = (int)ChannelId.EventCode;

        /// <summary>
        /// Brings the summary up to date with readings just inserted in <paramref name="tx"/>: a batch stored whole adds
        /// to its device's row; a device with a batch partly stored before (a resend) is counted again from its readings.
        /// Devices are written in ascending order (no deadlock between two receivers).
        /// </summary>
        protected void UpdateSummary(IReadOnlyList<IReadOnlyList<ReceivedReading>> batches, IReadOnlyList<StoreResult> results, DbTransaction tx)
        {
            var recount = new SortedSet<uint>();
            var fresh = new List<ReceivedReading>();
            for (var i = 0; i < batches.Count; i++)
            {
                if (results[i].Stored == 0)
                {
                    continue; // nothing new: the summary already holds what is there
                }

                if (results[i].Duplicates == 0)
                {
                    fresh.AddRange(batches[i]);
                }
                else
                {
                    foreach (var r in batches[i])
                    {
                        recount.Add(r.DeviceId);
                    }
                }
            }

            fresh.RemoveAll(r => recount.Contains(r.DeviceId));
            if (fresh.Count > 0)
            {
                AddToSummary(fresh, tx);
            }

            foreach (var device in recount)
            {
                RecountSummary(device, tx);
            }
        }

        private void AddToSummary(List<ReceivedReading> fresh, DbTransaction tx)
        {
            Upsert(
                "INSERT INTO device_summary (device_id, readings, first_time_ms, last_time_ms, last_received_at_ms, last_seq)",
                "ON CONFLICT (device_id) DO UPDATE SET " +
                "readings = device_summary.readings + excluded.readings, " +
                "first_time_ms = CASE WHEN excluded.first_time_ms < device_summary.first_time_ms THEN excluded.first_time_ms ELSE device_summary.first_time_ms END, " +
                "last_time_ms = CASE WHEN excluded.last_time_ms > device_summary.last_time_ms THEN excluded.last_time_ms ELSE device_summary.last_time_ms END, " +
                "last_received_at_ms = CASE WHEN excluded.last_received_at_ms > device_summary.last_received_at_ms THEN excluded.last_received_at_ms ELSE device_summary.last_received_at_ms END, " +
                "last_seq = CASE WHEN excluded.last_seq > device_summary.last_seq THEN excluded.last_seq ELSE device_summary.last_seq END",
                fresh.GroupBy(r => r.DeviceId).OrderBy(g => g.Key)
                    .Select(g => new object[] { (long)g.Key, (long)g.Count(), g.Min(r => r.TimeMs), g.Max(r => r.TimeMs), g.Max(r => r.ReceivedAtMs), (long)g.Max(r => r.Sequence) }),
                tx);

            // The newest by measurement time; at one instant the later sequence.
            Upsert(
                "INSERT INTO latest_readings (device_id, channel, seq, time_ms, value, status, received_at_ms, transport)",
                "ON CONFLICT (device_id, channel) DO UPDATE SET " +
                "seq = excluded.seq, time_ms = excluded.time_ms, value = excluded.value, status = excluded.status, " +
                "received_at_ms = excluded.received_at_ms, transport = excluded.transport " +
                "WHERE excluded.time_ms > latest_readings.time_ms OR (excluded.time_ms = latest_readings.time_ms AND excluded.seq > latest_readings.seq)",
                fresh.GroupBy(r => (r.DeviceId, r.Channel)).OrderBy(g => g.Key.DeviceId).ThenBy(g => g.Key.Channel)
                    .Select(g => g.MaxBy(r => (r.TimeMs, r.Sequence)))
                    .Select(r => new object[] { (long)r.DeviceId, (int)r.Channel, (long)r.Sequence, r.TimeMs, r.Value, (int)r.Status, r.ReceivedAtMs, r.Transport }),
                tx);
        }

        /// <summary>
        /// Runs an upsert (<paramref name="head"/> VALUES ... <paramref name="tail"/>) for each row: SQLite one
        /// prepared statement row by row (in process, its fastest way), PostgreSQL all rows in one statement (one
        /// round trip). Rows must have distinct keys and come in key order.
        /// </summary>
        private void Upsert(string head, string tail, IEnumerable<object[]> rows, DbTransaction tx)
        {
            var list = rows.ToList();
            if (list.Count == 0)
            {
                return;
            }

            var width = list[0].Length;
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            if (!IsPostgres)
            {
                cmd.CommandText = $"{head} VALUES ({string.Join(", ", Enumerable.Range(0, width).Select(c => "@p" + c))}) {tail}";
                var ps = Enumerable.Range(0, width).Select(c => AddParameter(cmd, "@p" + c, list[0][c])).ToArray();
                foreach (var row in list)
                {
                    for (var c = 0; c < width; c++)
                    {
                        ps[c].Value = row[c];
                    }

                    cmd.ExecuteNonQuery();
                }

                return;
            }

            // At most 30,000 parameters a statement (PostgreSQL takes 65,535).
            var perStatement = Math.Max(1, 30_000 / width);
            for (var start = 0; start < list.Count; start += perStatement)
            {
                cmd.Parameters.Clear();
                var values = new System.Text.StringBuilder();
                var end = Math.Min(list.Count, start + perStatement);
                for (var r = start; r < end; r++)
                {
                    values.Append(r == start ? "(" : ", (");
                    for (var c = 0; c < width; c++)
                    {
                        var name = "@p" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + c.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        values.Append(c == 0 ? string.Empty : ", ").Append(name);
                        AddParameter(cmd, name, list[r][c]);
                    }

                    values.Append(')');
                }

                cmd.CommandText = $"{head} VALUES {values} {tail}";
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>The statements that count the whole summary again from the readings (migration 0005 fills it with them).</summary>
        public static string SummaryRecount => RecountSql(string.Empty);

        /// <summary>
        /// Counts the whole summary again from the readings, in one durable transaction: after a receiver of a version
        /// before 0005 wrote to this database (<c>./gateway cloud migrate --recount-summary</c>). Receivers may keep
        /// running: on PostgreSQL their summary writes wait for it, and what they add afterwards adds to the recount.
        /// </summary>
        public void RecountSummary() => Durably(tx =>
        {
            if (IsPostgres)
            {
                Execute("LOCK TABLE device_summary, latest_readings IN EXCLUSIVE MODE", tx);
            }

            Execute(SummaryRecount, tx);
            return 0;
        });

        /// <summary>The recount's statements, of every device or (with a filter on <c>@d</c>) of one.</summary>
        private static string RecountSql(string filter) =>
            (filter.Length > 0 ? string.Empty : RecountAuditSql) +
            $"DELETE FROM device_summary{filter}; " +
            "INSERT INTO device_summary (device_id, readings, first_time_ms, last_time_ms, last_received_at_ms, last_seq) " +
            $"SELECT device_id, COUNT(*), MIN(time_ms), MAX(time_ms), MAX(received_at_ms), MAX(seq) FROM readings{filter} GROUP BY device_id; " +
            $"DELETE FROM latest_readings{filter}; " +
            "INSERT INTO latest_readings (device_id, channel, seq, time_ms, value, status, received_at_ms, transport) " +
            "SELECT device_id, channel, seq, time_ms, value, status, received_at_ms, transport FROM (" +
            $"SELECT r.*, ROW_NUMBER() OVER (PARTITION BY device_id, channel ORDER BY time_ms DESC, seq DESC) AS newest FROM readings r{filter}) t WHERE newest = 1;";

        /// <summary>The audit rows' and the log's counts, counted again (appended only: no device ever needs it alone).</summary>
        private const string RecountAuditSql =
            "DELETE FROM chain_event_counts; " +
            "INSERT INTO chain_event_counts (device_id, kind, messages, last_received_at_ms) " +
            "SELECT device_id, kind, SUM(messages), MAX(received_at_ms) FROM chain_events GROUP BY device_id, kind; " +
            "DELETE FROM log_leaf_counts; " +
            "INSERT INTO log_leaf_counts (device_id, leaves) SELECT device_id, COUNT(*) FROM log_leaves GROUP BY device_id; ";

        /// <summary>Adds audit rows' messages to their device's and kind's count (devices, then kinds, in order).</summary>
        private void CountAudit(IEnumerable<(uint DeviceId, string Kind, long Messages, long AtMs)> rows, DbTransaction tx) => Upsert(
            "INSERT INTO chain_event_counts (device_id, kind, messages, last_received_at_ms)",
            "ON CONFLICT (device_id, kind) DO UPDATE SET messages = chain_event_counts.messages + excluded.messages, " +
            "last_received_at_ms = CASE WHEN excluded.last_received_at_ms > chain_event_counts.last_received_at_ms THEN excluded.last_received_at_ms ELSE chain_event_counts.last_received_at_ms END",
            rows.GroupBy(r => (r.DeviceId, r.Kind)).OrderBy(g => g.Key.DeviceId).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
                .Select(g => new object[] { (long)g.Key.DeviceId, g.Key.Kind, g.Sum(r => r.Messages), g.Max(r => r.AtMs) }),
            tx);

        /// <summary>Adds appended leaves to their devices' counts.</summary>
        private void CountLeaves(IEnumerable<uint> deviceIds, DbTransaction tx) => Upsert(
            "INSERT INTO log_leaf_counts (device_id, leaves)",
            "ON CONFLICT (device_id) DO UPDATE SET leaves = log_leaf_counts.leaves + excluded.leaves",
            deviceIds.GroupBy(id => id).OrderBy(g => g.Key).Select(g => new object[] { (long)g.Key, (long)g.Count() }),
            tx);

        /// <summary>
        /// <see cref="IReceiverStore.CountChainEvents"/> and <see cref="IReceiverStore.CountLogLeaves"/> counted from the
        /// audit rows and the log themselves (what the summary must equal). Scans both tables.
        /// </summary>
        public (IReadOnlyList<ChainEventCount> Events, IReadOnlyDictionary<uint, long> Leaves) CountAuditByScan()
        {
            lock (_gate)
            {
                return (ReadEventCounts("SELECT device_id, kind, SUM(messages), MAX(received_at_ms) FROM chain_events GROUP BY device_id, kind ORDER BY device_id, kind"),
                    ReadLeafCounts("SELECT device_id, COUNT(*) FROM log_leaves GROUP BY device_id"));
            }
        }

        private List<ChainEventCount> ReadEventCounts(string sql)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            var list = new List<ChainEventCount>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new ChainEventCount((uint)reader.GetInt64(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(3)));
            }

            return list;
        }

        private Dictionary<uint, long> ReadLeafCounts(string sql)
        {
            using var cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            var counts = new Dictionary<uint, long>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                counts[(uint)reader.GetInt64(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }

            return counts;
        }

        /// <summary>Counts one device's summary again from its stored readings (its index range only).</summary>
        private void RecountSummary(uint device, DbTransaction tx)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = RecountSql(" WHERE device_id = @d");
            AddParameter(cmd, "@d", (long)device);
            cmd.ExecuteNonQuery();
        }

        /// <summary>
        /// <see cref="IReceiverStore.QueryDevices"/> counted from the readings themselves, not the summary: what the
        /// summary must equal (<c>bench cloud</c> and the tests compare them). Scans every reading.
        /// </summary>
        public IReadOnlyList<DeviceActivity> QueryDevicesByScan()
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, COUNT(*), MIN(time_ms), MAX(time_ms), MAX(received_at_ms), MAX(seq) FROM readings GROUP BY device_id ORDER BY device_id";
                return ReadActivity(cmd);
            }
        }

        /// <summary><see cref="IReceiverStore.QueryLatest"/> found in the readings themselves (scans the channel's readings).</summary>
        public IReadOnlyList<ReceivedReading> QueryLatestByScan(byte channel)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT device_id, seq, channel, time_ms, value, status, received_at_ms, transport FROM (" +
                                  "SELECT r.*, ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY time_ms DESC, seq DESC) AS newest FROM readings r WHERE channel = @c) t " +
                                  "WHERE newest = 1 ORDER BY device_id";
                AddParameter(cmd, "@c", (int)channel);
                return ReadReadings(cmd);
            }
        }

        private static List<DeviceActivity> ReadActivity(DbCommand cmd)
        {
            var list = new List<DeviceActivity>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new DeviceActivity((uint)reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), (uint)reader.GetInt64(5)));
            }

            return list;
        }
    }
}
