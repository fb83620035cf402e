using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;

namespace Gateway.Cloud.Storage
{
    /// <summary>
    /// What both engines share: the numbered schema (<see cref="SchemaMigrations"/>, applied when opened), the durable
    /// transaction every write goes through (<see cref="Commit{T}"/>, retried on a serialization failure, deadlock or
    /// busy database) and the queries (standard SQL with <c>ON CONFLICT</c>, which SQLite and PostgreSQL both speak).
    /// Engines override what they do their own way (locking, bulk inserts, durability settings). One store holds one
    /// connection; it may be shared between threads (calls are serialized), and several stores — in one process or
    /// several — may write one database at once.
    /// </summary>
    public abstract partial class SqlReceiverStore : IReceiverStore
    {
        /// <summary>Attempts of one transaction before a transient failure is thrown.</summary>
        public const int MaxAttempts = 10;

        private readonly object _gate = new();

        /// <summary>The open connection.</summary>
        protected DbConnection Connection { get; }

        /// <summary>Opens the store on an open connection and, unless told not to, applies pending migrations.</summary>
        protected SqlReceiverStore(DbConnection connection, bool postgres, bool migrate)
        {
            Connection = connection;
            IsPostgres = postgres;
            if (migrate)
            {
                AppliedAtOpen = SchemaMigrations.Apply(connection, postgres);
            }
        }

        /// <inheritdoc />
        public abstract string Engine { get; }

        /// <summary>Migrations this store applied when it opened (empty when the schema was up to date).</summary>
        public IReadOnlyList<MigrationStatus> AppliedAtOpen { get; } = Array.Empty<MigrationStatus>();

        /// <summary>Transactions rolled back on a transient failure and run again, since opened.</summary>
        public long Retries => Interlocked.Read(ref _retries);

        /// <summary>
        /// How durable a commit is here, in words ("durable: ..." or "NOT durable: ..."): the settings this store uses
        /// and, for PostgreSQL, the server's (fsync off makes every commit volatile whatever the client asks).
        /// </summary>
        public abstract string Durability { get; }

        private long _retries;

        private bool IsPostgres { get; }

        /// <summary>Begins a write transaction with the engine's durable settings (the write lock taken up front).</summary>
        protected abstract DbTransaction BeginDurable();

        /// <summary>True for a failure the same transaction may succeed after (serialization, deadlock, busy).</summary>
        protected abstract bool IsTransient(Exception ex);

        /// <inheritdoc />
        public T Commit<T>(Func<IReceiverTransaction, T> work)
        {
            ArgumentNullException.ThrowIfNull(work);
            return Durably(tx =>
            {
                using var unit = new Transaction(this, tx);
                return work(unit);
            });
        }

        /// <summary>
        /// Runs <paramref name="work"/> in one durable write transaction and commits it, again from the start after a
        /// transient failure (serialization, deadlock, busy), at most <see cref="MaxAttempts"/> times.
        /// </summary>
        protected T Durably<T>(Func<DbTransaction, T> work)
        {
            ArgumentNullException.ThrowIfNull(work);
            lock (_gate)
            {
                var random = new Random();
                for (var attempt = 1; ; attempt++)
                {
                    DbTransaction? tx = null;
                    try
                    {
                        tx = BeginDurable();
                        var result = work(tx);
                        tx.Commit();
                        return result;
                    }
                    catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
                    {
                        Interlocked.Increment(ref _retries);
                        TryRollback(tx);
                        Thread.Sleep(random.Next(1, 5 << Math.Min(attempt, 6)));
                    }
                    finally
                    {
                        tx?.Dispose();
                    }
                }
            }
        }

        /// <inheritdoc />
        public StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings) => StoreReadings(readings, null);

        /// <inheritdoc />
        public StoreResult StoreReadings(IReadOnlyList<ReceivedReading> readings, ChainState? chainState)
        {
            ArgumentNullException.ThrowIfNull(readings);
            if (readings.Count == 0 && chainState is null)
            {
                return new StoreResult(0, 0);
            }

            return Commit(t =>
            {
                var r = readings.Count == 0 ? new StoreResult(0, 0) : t.InsertReadings(readings);
                if (chainState is not null)
                {
                    t.SaveChainState(chainState.DeviceId, chainState.State);
                }

                return r;
            });
        }

        /// <inheritdoc />
        public void StoreGaps(IReadOnlyList<GapRecord> gaps)
        {
            ArgumentNullException.ThrowIfNull(gaps);
            Commit(t =>
            {
                t.StoreGaps(gaps);
                return 0;
            });
        }

        /// <inheritdoc />
        public void StoreChainEvent(ChainEvent chainEvent) => Commit(t =>
        {
            t.AddChainEvent(chainEvent);
            return 0;
        });

        /// <inheritdoc />
        public void CountJunk(IReadOnlyList<JunkCount> counts)
        {
            ArgumentNullException.ThrowIfNull(counts);
            if (counts.Count == 0)
            {
                return;
            }

            Commit(t =>
            {
                t.CountJunk(counts);
                return 0;
            });
        }

        /// <inheritdoc />
        public void SaveChainState(uint deviceId, byte[] state) => Commit(t =>
        {
            t.SaveChainState(deviceId, state);
            return 0;
        });

        /// <inheritdoc />
        public uint NextDownlinkCounter(uint deviceId) => Commit(t => t.ReserveDownlinkCounters(deviceId, 1));

        /// <inheritdoc />
        public IReadOnlyList<MigrationStatus> Migrations()
        {
            lock (_gate)
            {
                return SchemaMigrations.Status(Connection);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Connection.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Runs a statement (or several, separated by semicolons) that returns nothing.</summary>
        protected void Execute(string sql, DbTransaction? tx = null)
        {
            using var cmd = Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        /// <summary>Runs a query that returns one value.</summary>
        protected object? Scalar(string sql)
        {
            lock (_gate)
            {
                using var cmd = Connection.CreateCommand();
                cmd.CommandText = sql;
                return cmd.ExecuteScalar();
            }
        }

        /// <summary>Adds a named parameter with a value and returns it.</summary>
        public static DbParameter AddParameter(DbCommand cmd, string name, object value)
        {
            ArgumentNullException.ThrowIfNull(cmd);
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
            return p;
        }

        private static void TryRollback(DbTransaction? tx)
        {
            try
            {
                tx?.Rollback();
            }
            catch (InvalidOperationException)
            {
                // Already rolled back by the engine (deadlock victim, broken transaction).
            }
            catch (DbException)
            {
            }
        }
    }
}
