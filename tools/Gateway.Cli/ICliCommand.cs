using System.CommandLine;

namespace Gateway.Cli
{
    /// <summary>
    /// A command of ./gateway. Every non-abstract implementation in this assembly is found at start-up, so a new
    /// command is one new file under Commands/ and touches nothing else.
    /// </summary>
    public interface ICliCommand
    {
        /// <summary>The name of the parent command ("bench", "codec", ...), or null for a top-level command.</summary>
        string? Parent { get; }

        /// <summary>Builds the command, its options and its action.</summary>
        Command Create();
    }
}
