using System;
using System.CommandLine;

namespace Gateway.Cli.Commands
{
    /// <summary>./gateway sim: the simulated deployment (the main job).</summary>
    public sealed class SimCommand : ICliCommand
    {
        /// <inheritdoc />
        public string? Parent => null;

        /// <inheritdoc />
        public Command Create()
        {
            var cmd = new Command("sim", "run a simulated deployment end to end on virtual hardware (not built yet)");
            cmd.SetAction(_ =>
            {
                Console.Error.WriteLine(
                    "gateway sim: the simulator is not built yet. It lands with the storage, codec, sensing and uplink " +
                    "layers; until then there is nothing honest to simulate. Run ./test.sh for what exists today.");
                return 2;
            });
            return cmd;
        }
    }
}
