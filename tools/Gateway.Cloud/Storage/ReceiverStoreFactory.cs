using System;

namespace Gateway.Cloud.Storage
{
    /// <summary>Opens the store named by the receiver's <c>--db</c> option.</summary>
    public static class ReceiverStoreFactory
    {
        /// <summary>
        /// <c>sqlite:PATH</c> or a plain path (SQLite, the default), or <c>postgres:CONNECTION-STRING</c>
        /// (e.g. <c>postgres:Host=127.0.0.1;Port=5432;Database=gateway;Username=gateway</c>).
        /// </summary>
        public static IReceiverStore Open(string spec)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(spec);
            if (spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
            {
                return new PostgresReceiverStore(spec["postgres:".Length..]);
            }

            if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                spec = spec["sqlite:".Length..];
            }

            return new SqliteReceiverStore(spec);
        }
    }
}
