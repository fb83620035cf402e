using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Gateway.Cloud.Transparency;

namespace Gateway.Cloud.Storage
{
    /// <summary>A leaf to append, with the sequence range of its batch (stored beside it to find a reading's batch).</summary>
    /// <param name="Leaf">The leaf.</param>
    /// <param name="FirstSequence">The batch's first sequence.</param>
    /// <param name="Count">Readings in the batch.</param>
    public sealed record PendingLeaf(LogLeaf Leaf, uint FirstSequence, int Count);

    /// <summary>A stored leaf.</summary>
    /// <param name="Index">Its index in the log (0, 1, 2, ...).</param>
    /// <param name="Leaf">The leaf as stored.</param>
    /// <param name="FirstSequence">Its batch's first sequence, as stored.</param>
    /// <param name="Count">Readings in its batch, as stored.</param>
    /// <param name="StoredHash">The leaf hash stored with it.</param>
    public sealed record StoredLeaf(long Index, LogLeaf Leaf, uint FirstSequence, int Count, byte[] StoredHash);

    /// <summary>The log's head row: its size, the frontier of its tree, and the rejected batches counted (not logged).</summary>
    /// <param name="Size">Leaves.</param>
    /// <param name="Frontier">The perfect subtrees of the tree, largest first.</param>
    /// <param name="Rejected">Batches rejected since the log began.</param>
    public sealed record LogHead(long Size, IReadOnlyList<byte[]> Frontier, long Rejected)
    {
        /// <summary>The root of the tree at this size.</summary>
        public byte[] Root => Merkle.Root(Frontier);
    }

    /// <summary>
    /// The transparency log in the receiver's database: one leaf row per accepted batch (its bytes and leaf hash),
    /// the perfect subtrees of level ≥ 1 (written once, when complete), one head row (size, frontier, rejected count)
    /// locked by every append so several receivers keep ONE sequence of leaves, and the signed checkpoints.
    /// </summary>
    public abstract partial class SqlReceiverStore
    {
        /// <summary>Rows per multi-row INSERT.</summary>
        private const int RowsPerInsert = 64;

        /// <summary>What the head read appends to lock the row until the commit (PostgreSQL: FOR UPDATE; SQLite holds the write lock).</summary>
        protected virtual string LockSuffix => string.Empty;

        /// <summary>Appends leaves in order inside <paramref name="tx"/>, counts rejected batches; returns the first new index.</summary>
        protected long AppendLeaves(IReadOnlyList<PendingLeaf> leaves, long rejected, DbTransaction tx)
        {
            var head = ReadHead(tx, lockRow: true);
            var frontier = new List<byte[]>(head.Frontier);
            var size = head.Size;
            var first = size;
            var nodes = new List<(int Level, long Index, byte[] Hash)>();
            var hashes = new byte[leaves.Count][];
            for (var i = 0; i < leaves.Count; i++)
            {
                hashes[i] = leaves[i].Leaf.Hash();
                Merkle.Append(frontier, size, hashes[i], (l, x, h) => nodes.Add((l, x, h)));
                size++;
            }

            if (IsPostgres)
            {
                InsertLeavesMultiRow(leaves, hashes, first, tx);
                InsertNodesMultiRow(nodes, tx);
            }
            else
            {
                // SQLite runs in process: one prepared statement reused row by row is its fastest way.
                using (var cmd = Connection.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO log_leaves (idx, device_id, first_seq, count, received_at_ms, verdict, transport, batch, leaf_hash) " +
                                      "VALUES (@i, @d, @f, @c, @a, @v, @t, @b, @h)";
                    var pi = AddParameter(cmd, "@i", 0L);
                    var pd = AddParameter(cmd, "@d", 0L);
                    var pf = AddParameter(cmd, "@f", 0L);
                    var pc = AddParameter(cmd, "@c", 0);
                    var pa = AddParameter(cmd, "@a", 0L);
                    var pv = AddParameter(cmd, "@v", 0);
                    var pt = AddParameter(cmd, "@t", string.Empty);
                    var pb = AddParameter(cmd, "@b", Array.Empty<byte>());
                    var ph = AddParameter(cmd, "@h", Array.Empty<byte>());
                    cmd.Prepare();
                    for (var j = 0; j < leaves.Count; j++)
                    {
                        var e = leaves[j];
                        pi.Value = first + j;
                        pd.Value = (long)e.Leaf.DeviceId;
                        pf.Value = (long)e.FirstSequence;
                        pc.Value = e.Count;
                        pa.Value = e.Leaf.ReceivedAtMs;
                        pv.Value = (int)e.Leaf.Verdict;
                        pt.Value = e.Leaf.Transport;
                        pb.Value = e.Leaf.Batch;
                        ph.Value = hashes[j];
                        cmd.ExecuteNonQuery();
                    }
                }

                using (var cmd = Connection.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO log_nodes (level, idx, hash) VALUES (@l, @i, @h)";
                    var pl = AddParameter(cmd, "@l", 0);
                    var pi = AddParameter(cmd, "@i", 0L);
                    var ph = AddParameter(cmd, "@h", Array.Empty<byte>());
                    cmd.Prepare();
                    foreach (var (level, index, hash) in nodes)
                    {
                        pl.Value = level;
                        pi.Value = index;
                        ph.Value = hash;
                        cmd.ExecuteNonQuery();
                    }
                }
            }

            using (var update = Connection.CreateCommand())
            {
                update.Transaction = tx;
                update.CommandText = "UPDATE log_head SET size = @s, frontier = @f, rejected = rejected + @r WHERE id = 1";
                AddParameter(update, "@s", size);
                AddParameter(update, "@f", Concat(frontier));
                AddParameter(update, "@r", rejected);
                update.ExecuteNonQuery();
            }

            return first;
        }

        /// <summary>The log's head as committed.</summary>
        public LogHead ReadLogHead()
        {
            lock (_gate)
            {
                return ReadHead(null, lockRow: false);
            }
        }

        /// <summary>
        /// A perfect subtree's hash as stored (level 0: the leaf hash stored with the leaf); throws
        /// <see cref="InvalidOperationException"/> when it is missing.
        /// </summary>
        public byte[] ReadLogNode(int level, long index)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = level == 0 ? "SELECT leaf_hash FROM log_leaves WHERE idx = @i" : "SELECT hash FROM log_nodes WHERE level = @l AND idx = @i";
                AddParameter(cmd, "@l", level);
                AddParameter(cmd, "@i", index);
                return cmd.ExecuteScalar() as byte[]
                       ?? throw new InvalidOperationException($"the log's subtree at level {level} index {index} is missing from the database");
            }
        }

        /// <summary>The leaves with index in [from, to), in index order, as stored.</summary>
        public IEnumerable<StoredLeaf> ReadLogLeaves(long from, long to)
        {
            const long page = 4096;
            long end;
            lock (_gate)
            {
                using var max = Connection.CreateCommand();
                max.CommandText = "SELECT MAX(idx) FROM log_leaves";
                var m = max.ExecuteScalar();
                end = m is null or DBNull ? 0 : Convert.ToInt64(m, CultureInfo.InvariantCulture) + 1;
            }

            to = Math.Min(to, end);
            for (var start = from; start < to; start += page)
            {
                var rows = new List<StoredLeaf>();
                lock (_gate)
                {
                    using var cmd = Connection.CreateCommand();
                    cmd.CommandText = "SELECT idx, device_id, first_seq, count, received_at_ms, verdict, transport, batch, leaf_hash FROM log_leaves " +
                                      "WHERE idx >= @a AND idx < @b ORDER BY idx";
                    AddParameter(cmd, "@a", start);
                    AddParameter(cmd, "@b", Math.Min(to, start + page));
                    using var r = cmd.ExecuteReader();
                    while (r.Read())
                    {
                        var leaf = new LogLeaf((uint)r.GetInt64(1), (uint)r.GetInt64(2), r.GetInt64(4), r.GetString(6), (LeafVerdict)Convert.ToInt32(r.GetValue(5), CultureInfo.InvariantCulture),
                            (byte[])r.GetValue(7));
                        rows.Add(new StoredLeaf(r.GetInt64(0), leaf, (uint)r.GetInt64(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture), (byte[])r.GetValue(8)));
                    }
                }

                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }

        /// <summary>The indexes of the leaves whose batch holds the reading (device, sequence), oldest first.</summary>
        public IReadOnlyList<long> FindLogLeaves(uint deviceId, uint sequence)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT idx FROM log_leaves WHERE device_id = @d AND first_seq <= @s AND first_seq + count > @s ORDER BY idx";
                AddParameter(cmd, "@d", (long)deviceId);
                AddParameter(cmd, "@s", (long)sequence);
                var list = new List<long>();
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    list.Add(r.GetInt64(0));
                }

                return list;
            }
        }

        /// <summary>Stores a signed checkpoint (one per size; a later note of the same size, e.g. with cosignatures, replaces it).</summary>
        public void SaveCheckpoint(long size, long signedAtMs, string note)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "INSERT INTO log_checkpoints (size, signed_at_ms, note) VALUES (@s, @a, @n) " +
                                  "ON CONFLICT (size) DO UPDATE SET note = excluded.note, signed_at_ms = excluded.signed_at_ms";
                AddParameter(cmd, "@s", size);
                AddParameter(cmd, "@a", signedAtMs);
                AddParameter(cmd, "@n", note);
                cmd.ExecuteNonQuery();
            }
        }

        /// <summary>Stored checkpoint notes, largest size first (at most <paramref name="limit"/>).</summary>
        public IReadOnlyList<string> ReadCheckpoints(int limit = int.MaxValue)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = "SELECT note FROM log_checkpoints ORDER BY size DESC";
                var list = new List<string>();
                using var r = cmd.ExecuteReader();
                while (r.Read() && list.Count < limit)
                {
                    list.Add(r.GetString(0));
                }

                return list;
            }
        }

        private void InsertLeavesMultiRow(IReadOnlyList<PendingLeaf> leaves, byte[][] hashes, long first, DbTransaction tx)
        {
            for (var start = 0; start < leaves.Count; start += RowsPerInsert)
            {
                var n = Math.Min(RowsPerInsert, leaves.Count - start);
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = tx;
                var sql = new StringBuilder("INSERT INTO log_leaves (idx, device_id, first_seq, count, received_at_ms, verdict, transport, batch, leaf_hash) VALUES ");
                for (var j = 0; j < n; j++)
                {
                    var e = leaves[start + j];
                    var p = "@p" + j.ToString(CultureInfo.InvariantCulture) + "_";
                    sql.Append(j == 0 ? "(" : ",(").Append(p).Append("i,").Append(p).Append("d,").Append(p).Append("f,").Append(p).Append("c,")
                        .Append(p).Append("a,").Append(p).Append("v,").Append(p).Append("t,").Append(p).Append("b,").Append(p).Append("h)");
                    AddParameter(cmd, p + "i", first + start + j);
                    AddParameter(cmd, p + "d", (long)e.Leaf.DeviceId);
                    AddParameter(cmd, p + "f", (long)e.FirstSequence);
                    AddParameter(cmd, p + "c", e.Count);
                    AddParameter(cmd, p + "a", e.Leaf.ReceivedAtMs);
                    AddParameter(cmd, p + "v", (int)e.Leaf.Verdict);
                    AddParameter(cmd, p + "t", e.Leaf.Transport);
                    AddParameter(cmd, p + "b", e.Leaf.Batch);
                    AddParameter(cmd, p + "h", hashes[start + j]);
                }

                cmd.CommandText = sql.ToString();
                cmd.ExecuteNonQuery();
            }
        }

        private void InsertNodesMultiRow(List<(int Level, long Index, byte[] Hash)> nodes, DbTransaction tx)
        {
            for (var start = 0; start < nodes.Count; start += RowsPerInsert)
            {
                var n = Math.Min(RowsPerInsert, nodes.Count - start);
                using var cmd = Connection.CreateCommand();
                cmd.Transaction = tx;
                var sql = new StringBuilder("INSERT INTO log_nodes (level, idx, hash) VALUES ");
                for (var j = 0; j < n; j++)
                {
                    var p = "@n" + j.ToString(CultureInfo.InvariantCulture) + "_";
                    sql.Append(j == 0 ? "(" : ",(").Append(p).Append("l,").Append(p).Append("i,").Append(p).Append("h)");
                    AddParameter(cmd, p + "l", nodes[start + j].Level);
                    AddParameter(cmd, p + "i", nodes[start + j].Index);
                    AddParameter(cmd, p + "h", nodes[start + j].Hash);
                }

                cmd.CommandText = sql.ToString();
                cmd.ExecuteNonQuery();
            }
        }

        private LogHead ReadHead(DbTransaction? tx, bool lockRow)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT size, frontier, rejected FROM log_head WHERE id = 1" + (lockRow ? LockSuffix : string.Empty);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                throw new InvalidOperationException("the log's head row is missing from the database (log_head id 1)");
            }

            var blob = r.GetValue(1) as byte[] ?? Array.Empty<byte>();
            if (blob.Length % Merkle.HashSize != 0)
            {
                throw new InvalidOperationException("the log's head row holds a frontier that is not a whole number of hashes");
            }

            var frontier = new List<byte[]>();
            for (var i = 0; i < blob.Length; i += Merkle.HashSize)
            {
                frontier.Add(blob[i..(i + Merkle.HashSize)]);
            }

            return new LogHead(r.GetInt64(0), frontier, r.GetInt64(2));
        }

        private static byte[] Concat(List<byte[]> hashes)
        {
            var blob = new byte[hashes.Count * Merkle.HashSize];
            for (var i = 0; i < hashes.Count; i++)
            {
                hashes[i].CopyTo(blob, i * Merkle.HashSize);
            }

            return blob;
        }
    }
}
