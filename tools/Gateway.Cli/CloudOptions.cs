using System.CommandLine;

namespace Gateway.Cli
{
    /// <summary>Options the cloud commands share.</summary>
    public static class CloudOptions
    {
        /// <summary>The default database file of the receiver.</summary>
        public const string DefaultDb = "sqlite:gateway-cloud.db";

        /// <summary>--db: sqlite:PATH (default) or postgres:CONNECTION-STRING.</summary>
        public static Option<string> Db() => new("--db")
        {
            Description = "receiver database: sqlite:PATH (default sqlite:gateway-cloud.db) or postgres:Host=...;Port=...;Database=...;Username=...",
            DefaultValueFactory = _ => DefaultDb,
        };
    }
}
