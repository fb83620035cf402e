using System.Collections.Generic;
using Gateway.Simulation.VirtualGateway;

namespace Gateway.Simulation.Hil
{
    /// <summary>The console of a virtual gateway in this process.</summary>
    public sealed class InProcessConsoleLink : IConsoleLink
    {
        /// <summary>Links to <paramref name="device"/>.</summary>
        public InProcessConsoleLink(VirtualGatewayDevice device) => Device = device;

        /// <summary>The virtual gateway.</summary>
        public VirtualGatewayDevice Device { get; }

        /// <inheritdoc />
        public string Description => "virtual gateway (in process)";

        /// <inheritdoc />
        public IReadOnlyList<string> Exchange(string command, int timeoutMs) => Device.Execute(command);

        /// <inheritdoc />
        public void Dispose()
        {
        }
    }
}
