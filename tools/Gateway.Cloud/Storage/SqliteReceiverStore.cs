using Microsoft.Data.Sqlite;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The embedded default: one SQLite file, write-ahead log, synchronous=NORMAL (a committed batch survives a
    /// receiver crash; an OS crash may lose the last transactions, which the gateways resend because they were not
    /// acknowledged — acknowledgements are sent only after the commit).
    /// </summary>
    public sealed class SqliteReceiverStore : SqlReceiverStore
    {
        /// <summary>Opens (creating if needed) the database file.</summary>
        public SqliteReceiverStore(string path)
            : base(Open(path), "BLOB")
        {
        }

        /// <inheritdoc />
        public override string Engine => "sqlite";

        private static SqliteConnection Open(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            cmd.ExecuteNonQuery();
            return connection;
        }
    }
}
