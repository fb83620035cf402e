using System.CommandLine;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway cloud: the regional cloud receiver and its data (subcommands attach themselves).</summary>
    public sealed class CloudCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create() => new("cloud", "the regional cloud receiver: run it, query and export what it stored, migrate its database");
    }
}
