using System.Collections.Generic;
using System.Data.Common;
using Gateway.Cloud.Ingest;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// DR2 fragments kept in the database until their batch is whole (table <c>lora_fragments</c>, migration 0004):
    /// each fragment is committed durably before the receiver acknowledges it to the broker, and receivers sharing one
    /// database complete a batch whose fragments reached different ones.
    /// </summary>
    public abstract partial class SqlReceiverStore : IFragmentStore
    {
        /// <summary>
        /// Makes concurrent fragment writes of one device wait for each other until the commit. The default suits an
        /// engine whose write transaction already excludes every other writer (SQLite's BEGIN IMMEDIATE): nothing.
        /// </summary>
        protected virtual void LockFragments(DbTransaction tx, string devEui)
        {
        }

        /// <inheritdoc />
        public IReadOnlyList<byte[]>? AddFragment(FragmentKey key, int index, byte[] body, long atMs, long keepMs) => Durably(tx =>
        {
            LockFragments(tx, key.DevEui);
            using (var cmd = Connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "DELETE FROM lora_fragments WHERE dev_eui = @e AND received_at_ms < @old; " +
                                  "INSERT INTO lora_fragments (dev_eui, first_fcnt, frag_count, frag_index, body, received_at_ms) " +
                                  "VALUES (@e, @f, @c, @i, @b, @a) ON CONFLICT (dev_eui, first_fcnt, frag_count, frag_index) DO NOTHING";
                AddParameter(cmd, "@e", key.DevEui);
                AddParameter(cmd, "@old", atMs - keepMs);
                AddParameter(cmd, "@f", (long)key.FirstFCnt);
                AddParameter(cmd, "@c", key.Count);
                AddParameter(cmd, "@i", index);
                AddParameter(cmd, "@b", body);
                AddParameter(cmd, "@a", atMs);
                cmd.ExecuteNonQuery();
            }

            var parts = new byte[key.Count][];
            var have = 0;
            using (var cmd = Connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "SELECT frag_index, body FROM lora_fragments WHERE dev_eui = @e AND first_fcnt = @f AND frag_count = @c";
                AddParameter(cmd, "@e", key.DevEui);
                AddParameter(cmd, "@f", (long)key.FirstFCnt);
                AddParameter(cmd, "@c", key.Count);
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    var i = reader.GetInt32(0);
                    if (i >= 0 && i < parts.Length && parts[i] is null)
                    {
                        parts[i] = (byte[])reader.GetValue(1);
                        have++;
                    }
                }
            }

            return have == parts.Length ? parts : null;
        });

        /// <inheritdoc />
        public void RemoveFragments(FragmentKey key) => Durably(tx =>
        {
            LockFragments(tx, key.DevEui);
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM lora_fragments WHERE dev_eui = @e AND first_fcnt = @f AND frag_count = @c";
            AddParameter(cmd, "@e", key.DevEui);
            AddParameter(cmd, "@f", (long)key.FirstFCnt);
            AddParameter(cmd, "@c", key.Count);
            return cmd.ExecuteNonQuery();
        });
    }
}
