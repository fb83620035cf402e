using System.Collections.Generic;
using Gateway.Control.Technician;

namespace Gateway.Simulation.VirtualGateway
{
    /// <summary>A console port for an in-process gateway: the lines the interpreter writes are collected for the caller.</summary>
    public sealed class CapturingConsolePort : IConsolePort
    {
        private readonly List<string> _lines = new();

        /// <inheritdoc />
        public string ReadLine(int timeoutMs) => null!;

        /// <inheritdoc />
        public void WriteLine(string line) => _lines.Add(line);

        /// <summary>Takes the lines written since the last call.</summary>
        public List<string> Take()
        {
            var copy = new List<string>(_lines);
            _lines.Clear();
            return copy;
        }
    }
}
