using System;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// The embedded default: one SQLite file in write-ahead-log mode with <c>synchronous=FULL</c>: every commit
    /// syncs the log to the disk before it returns, so a committed (and therefore acknowledged) batch survives a
    /// receiver crash, an operating-system crash and a power cut. (<c>NORMAL</c> would survive only the first: the
    /// last commits could vanish after the gateways had deleted readings the receiver acknowledged.) Write
    /// transactions begin IMMEDIATE — they take the database's write lock first — so several stores, threads or
    /// processes may write one file; each waits its turn (busy timeout), and a busy database is retried.
    /// </summary>
    public sealed class SqliteReceiverStore : SqlReceiverStore
    {
        /// <summary>Opens (creating if needed) the database file and applies pending migrations.</summary>
        public SqliteReceiverStore(string path)
            : this(path, migrate: true)
        {
        }

        /// <summary>Opens (creating if needed) the database file; applies pending migrations when <paramref name="migrate"/>.</summary>
        public SqliteReceiverStore(string path, bool migrate)
            : base(Open(path), postgres: false, migrate)
        {
        }

        /// <inheritdoc />
        public override string Engine => "sqlite";

        /// <inheritdoc />
        public override string Durability
        {
            get
            {
                var journal = Convert.ToString(Scalar("PRAGMA journal_mode"), System.Globalization.CultureInfo.InvariantCulture);
                var sync = Convert.ToInt64(Scalar("PRAGMA synchronous"), System.Globalization.CultureInfo.InvariantCulture);
                return sync >= 2
                    ? $"durable: journal_mode={journal}, synchronous={(sync == 3 ? "EXTRA" : "FULL")}"
                    : $"NOT durable: journal_mode={journal}, synchronous={sync}";
            }
        }

        /// <inheritdoc />
        protected override DbTransaction BeginDurable() => ((SqliteConnection)Connection).BeginTransaction(deferred: false);

        /// <inheritdoc />
        protected override bool IsTransient(Exception ex) =>
            ex is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
            || ex.InnerException is SqliteException { SqliteErrorCode: 5 or 6 };

        private static SqliteConnection Open(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 60,
            }.ToString());
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout=30000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            cmd.ExecuteNonQuery();
            return connection;
        }
    }
}
