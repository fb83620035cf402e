using Xunit;

namespace Gateway.Tests.Support
{
    /// <summary>
    /// Tests that open a thousand sockets in this process run alone, after the others: libmosquitto's select() loop cannot
    /// use a file descriptor above 1023, so a client another test starts meanwhile would get such a descriptor and never
    /// connect.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ManySocketsCollection
    {
        /// <summary>The collection's name.</summary>
        public const string Name = "a thousand sockets";
    }
}
