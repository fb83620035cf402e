using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;

namespace Gateway.Cloud.Storage
{
    /// <summary>The writes of one durable transaction (<see cref="IReceiverTransaction"/>), shared SQL and engine hooks.</summary>
    public abstract partial class SqlReceiverStore
    {
        /// <summary>
        /// Locks the chain states of <paramref name="sortedIds"/> (ascending, distinct) until the commit and returns
        /// the saved ones. The default suits an engine whose write transaction already excludes every other writer
        /// (SQLite's BEGIN IMMEDIATE): it only reads.
        /// </summary>
        protected virtual Dictionary<uint, byte[]> LockChainStates(DbTransaction tx, uint[] sortedIds)
        {
            var states = new Dictionary<uint, byte[]>();
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT state FROM chain_state WHERE device_id = @d";
            var d = AddParameter(cmd, "@d", 0L);
            foreach (var id in sortedIds)
            {
                d.Value = (long)id;
                if (cmd.ExecuteScalar() is byte[] { Length: > 0 } state)
                {
                    states[id] = state;
                }
            }

            return states;
        }

        /// <summary>
        /// Inserts readings inside <paramref name="tx"/> (duplicates left as they were, differing duplicates kept
        /// aside in reading_conflicts); returns how many were new, duplicates and conflicts.
        /// </summary>
        protected virtual StoreResult InsertReadings(IReadOnlyList<ReceivedReading> readings, DbTransaction tx)
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
            List<ReceivedReading>? duplicates = null;
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
                if (cmd.ExecuteNonQuery() == 1)
                {
                    stored++;
                }
                else
                {
                    (duplicates ??= new List<ReceivedReading>()).Add(r);
                }
            }

            var conflicts = duplicates is null ? 0 : KeepConflicts(duplicates, tx);
            return new StoreResult(stored, readings.Count - stored, conflicts);
        }

        /// <summary>Inserts several batches' readings; one result per batch. The default inserts batch by batch.</summary>
        protected virtual IReadOnlyList<StoreResult> InsertBatches(IReadOnlyList<IReadOnlyList<ReceivedReading>> batches, DbTransaction tx)
        {
            var results = new StoreResult[batches.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = batches[i].Count == 0 ? new StoreResult(0, 0) : InsertReadings(batches[i], tx);
            }

            return results;
        }

        /// <summary>Appends audit rows; the default one statement each.</summary>
        protected virtual void AddChainEvents(IReadOnlyList<ChainEvent> events, DbTransaction tx)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO chain_events (device_id, received_at_ms, transport, kind, first_seq, count, detail, messages, source) " +
                              "VALUES (@d, @a, @t, @k, @f, @c, @x, @m, @o)";
            foreach (var e in events)
            {
                cmd.Parameters.Clear();
                AddEventParameters(cmd, e.DeviceId, e.ReceivedAtMs, e.Transport, e.Kind, e.FirstSequence, e.Count, e.Detail, e.Messages, e.Source);
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>Saves chain states (upserts); the default one statement each.</summary>
        protected virtual void SaveChainStates(IReadOnlyList<ChainState> states, DbTransaction tx)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO chain_state (device_id, state) VALUES (@d, @s) ON CONFLICT (device_id) DO UPDATE SET state = excluded.state";
            foreach (var s in states)
            {
                cmd.Parameters.Clear();
                AddParameter(cmd, "@d", (long)s.DeviceId);
                AddParameter(cmd, "@s", s.State);
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>Reserves downlink counters (device → how many) and returns each device's first; the default one statement each.</summary>
        protected virtual Dictionary<uint, uint> ReserveDownlinkCounters(IReadOnlyDictionary<uint, int> counts, DbTransaction tx)
        {
            var first = new Dictionary<uint, uint>();
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO downlink_counters (device_id, counter) VALUES (@d, @n) " +
                              "ON CONFLICT (device_id) DO UPDATE SET counter = downlink_counters.counter + excluded.counter RETURNING counter";
            foreach (var (device, n) in counts.OrderBy(kv => kv.Key))
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
                cmd.Parameters.Clear();
                AddParameter(cmd, "@d", (long)device);
                AddParameter(cmd, "@n", (long)n);
                var last = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
                first[device] = (uint)(last - n + 1);
            }

            return first;
        }

        /// <summary>Adds an audit row's parameters (@d @a @t @k @f @c @x @m @o).</summary>
        private static void AddEventParameters(DbCommand cmd, uint deviceId, long atMs, string transport, string kind, uint firstSeq, int count, string detail,
            long messages, string? source)
        {
            AddParameter(cmd, "@d", (long)deviceId);
            AddParameter(cmd, "@a", atMs);
            AddParameter(cmd, "@t", transport);
            AddParameter(cmd, "@k", kind);
            AddParameter(cmd, "@f", (long)firstSeq);
            AddParameter(cmd, "@c", count);
            AddParameter(cmd, "@x", detail);
            AddParameter(cmd, "@m", messages);
            AddParameter(cmd, "@o", (object?)source ?? DBNull.Value);
        }

        /// <summary>Of readings already stored, keeps aside those whose stored values differ; returns how many differ.</summary>
        private int KeepConflicts(List<ReceivedReading> duplicates, DbTransaction tx)
        {
            using var get = Connection.CreateCommand();
            get.Transaction = tx;
            get.CommandText = "SELECT channel, time_ms, value, status FROM readings WHERE device_id = @d AND seq = @s";
            var d = AddParameter(get, "@d", 0L);
            var s = AddParameter(get, "@s", 0L);
            var conflicts = new List<ReceivedReading>();
            foreach (var r in duplicates)
            {
                d.Value = (long)r.DeviceId;
                s.Value = (long)r.Sequence;
                using var reader = get.ExecuteReader();
                if (reader.Read() && (reader.GetInt32(0) != r.Channel || reader.GetInt64(1) != r.TimeMs || reader.GetInt32(2) != r.Value || reader.GetInt32(3) != r.Status))
                {
                    conflicts.Add(r);
                }
            }

            if (conflicts.Count > 0)
            {
                using var put = Connection.CreateCommand();
                put.Transaction = tx;
                put.CommandText = "INSERT INTO reading_conflicts (device_id, seq, channel, time_ms, value, status, received_at_ms, transport) " +
                                  "VALUES (@d, @s, @c, @t, @v, @q, @a, @x) ON CONFLICT DO NOTHING";
                foreach (var r in conflicts)
                {
                    put.Parameters.Clear();
                    AddParameter(put, "@d", (long)r.DeviceId);
                    AddParameter(put, "@s", (long)r.Sequence);
                    AddParameter(put, "@c", (int)r.Channel);
                    AddParameter(put, "@t", r.TimeMs);
                    AddParameter(put, "@v", r.Value);
                    AddParameter(put, "@q", (int)r.Status);
                    AddParameter(put, "@a", r.ReceivedAtMs);
                    AddParameter(put, "@x", r.Transport);
                    put.ExecuteNonQuery();
                }
            }

            return conflicts.Count;
        }

        private sealed class Transaction : IReceiverTransaction, IDisposable
        {
            private readonly SqlReceiverStore _store;
            private readonly DbTransaction _tx;
            private bool _locked;

            public Transaction(SqlReceiverStore store, DbTransaction tx)
            {
                _store = store;
                _tx = tx;
            }

            private DbConnection Connection => _store.Connection;

            public IReadOnlyDictionary<uint, byte[]> LockChainStates(IReadOnlyCollection<uint> deviceIds)
            {
                ArgumentNullException.ThrowIfNull(deviceIds);
                if (_locked)
                {
                    // A second round of locks could take them out of order and deadlock against another receiver.
                    throw new InvalidOperationException("lock every device of a transaction in one LockChainStates call");
                }

                _locked = true;
                var sorted = deviceIds.Distinct().Order().ToArray();
                return sorted.Length == 0 ? new Dictionary<uint, byte[]>() : _store.LockChainStates(_tx, sorted);
            }

            public StoreResult InsertReadings(IReadOnlyList<ReceivedReading> readings)
            {
                ArgumentNullException.ThrowIfNull(readings);
                return readings.Count == 0 ? new StoreResult(0, 0) : InsertBatches(new[] { readings })[0];
            }

            public IReadOnlyList<StoreResult> InsertBatches(IReadOnlyList<IReadOnlyList<ReceivedReading>> batches)
            {
                ArgumentNullException.ThrowIfNull(batches);
                if (batches.Count == 0)
                {
                    return Array.Empty<StoreResult>();
                }

                // The fleet summary changes with the readings, in the same transaction (SqlReceiverStore.Summary.cs).
                var results = batches.Count == 1
                    ? new[] { batches[0].Count == 0 ? new StoreResult(0, 0) : _store.InsertReadings(batches[0], _tx) }
                    : _store.InsertBatches(batches, _tx);
                _store.UpdateSummary(batches, results, _tx);
                return results;
            }

            public void SaveChainState(uint deviceId, byte[] state) => SaveChainStates(new[] { new ChainState(deviceId, state) });

            public void SaveChainStates(IReadOnlyList<ChainState> states)
            {
                ArgumentNullException.ThrowIfNull(states);
                if (states.Count > 0)
                {
                    _store.SaveChainStates(states, _tx);
                }
            }

            public void AddChainEvent(ChainEvent chainEvent) => AddChainEvents(new[] { chainEvent });

            public void AddChainEvents(IReadOnlyList<ChainEvent> chainEvents)
            {
                ArgumentNullException.ThrowIfNull(chainEvents);
                if (chainEvents.Count > 0)
                {
                    _store.AddChainEvents(chainEvents, _tx);
                    _store.CountAudit(chainEvents.Select(e => (e.DeviceId, e.Kind, e.Messages, e.ReceivedAtMs)), _tx);
                }
            }

            public IReadOnlyDictionary<uint, uint> ReserveDownlinkCounters(IReadOnlyDictionary<uint, int> counts)
            {
                ArgumentNullException.ThrowIfNull(counts);
                return counts.Count == 0 ? new Dictionary<uint, uint>() : _store.ReserveDownlinkCounters(counts, _tx);
            }

            public void CountJunk(IReadOnlyList<JunkCount> counts)
            {
                ArgumentNullException.ThrowIfNull(counts);

                // One increment per bucket, buckets in one order for every receiver (no deadlock between two).
                var buckets = counts
                    .GroupBy(j => (j.Source, j.Kind, j.MinuteMs))
                    .Select(g => (First: g.OrderBy(j => j.AtMs).First(), Messages: g.Sum(j => j.Messages)))
                    .OrderBy(b => b.First.Source, StringComparer.Ordinal).ThenBy(b => b.First.Kind, StringComparer.Ordinal).ThenBy(b => b.First.MinuteMs);
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = _tx;
                cmd.CommandText = "INSERT INTO chain_events (device_id, received_at_ms, transport, kind, first_seq, count, detail, messages, source) " +
                                  "VALUES (@d, @a, @t, @k, @f, @c, @x, @m, @o) " +
                                  "ON CONFLICT (source, kind, received_at_ms) WHERE source IS NOT NULL " +
                                  "DO UPDATE SET messages = chain_events.messages + excluded.messages RETURNING device_id";
                var counted = new List<(uint, string, long, long)>();
                foreach (var (j, messages) in buckets)
                {
                    cmd.Parameters.Clear();
                    AddEventParameters(cmd, j.DeviceId, j.MinuteMs, j.Transport, j.Kind, j.FirstSequence, j.Count, j.Reason, messages, j.Source);

                    // The bucket's row keeps the device its first message claimed: the count goes to that device.
                    var device = (uint)Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
                    counted.Add((device, j.Kind, messages, j.MinuteMs));
                }

                _store.CountAudit(counted, _tx);
            }

            public uint ReserveDownlinkCounters(uint deviceId, int count) =>
                ReserveDownlinkCounters(new Dictionary<uint, int> { [deviceId] = count })[deviceId];

            public void StoreGaps(IReadOnlyList<GapRecord> gaps)
            {
                ArgumentNullException.ThrowIfNull(gaps);
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = _tx;
                cmd.CommandText = "INSERT INTO gaps (device_id, first_seq, last_seq, reason) VALUES (@d, @f, @l, @r) " +
                                  "ON CONFLICT (device_id, first_seq) DO NOTHING";
                foreach (var g in gaps)
                {
                    cmd.Parameters.Clear();
                    AddParameter(cmd, "@d", (long)g.DeviceId);
                    AddParameter(cmd, "@f", (long)g.FirstSequence);
                    AddParameter(cmd, "@l", (long)g.LastSequence);
                    AddParameter(cmd, "@r", g.Reason);
                    cmd.ExecuteNonQuery();
                }
            }

            public long AppendLeaves(IReadOnlyList<PendingLeaf> leaves, long rejected)
            {
                ArgumentNullException.ThrowIfNull(leaves);
                var size = _store.AppendLeaves(leaves, rejected, _tx);
                _store.CountLeaves(leaves.Select(l => l.Leaf.DeviceId), _tx);
                return size;
            }

            public void Dispose()
            {
            }
        }
    }
}
