using Xunit;

namespace Gateway.Tests.Support
{
    /// <summary>Tests that share one real PostgreSQL server for the whole run.</summary>
    [CollectionDefinition(Name)]
    public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
    {
        /// <summary>The collection's name.</summary>
        public const string Name = "PostgreSQL server";
    }
}
