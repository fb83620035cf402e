using System.CommandLine;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway bench: the benchmark commands (storage, codec, cloud, ...) attach themselves below it.</summary>
    public sealed class BenchCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create() => new("bench", "benchmarks that print measured figures (speed, size, memory); --json for one JSON object");
    }
}
