using System.CommandLine;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway lora: LoRaWAN tools (airtime, AS923 budgets); subcommands attach themselves below it.</summary>
    public sealed class LoraCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create() => new("lora", "LoRa and LoRaWAN tools: time on air, AS923 data rates and dwell-time budgets");
    }
}
