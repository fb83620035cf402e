using System;
using System.Collections.Generic;

namespace Gateway.Simulation.Hil
{
    /// <summary>
    /// A line link to a gateway's technician console: sends one command and collects the answer up to and including
    /// its status line ("OK" or "ERR reason"). The virtual gateway in process, or a serial port.
    /// </summary>
    public interface IConsoleLink : IDisposable
    {
        /// <summary>What the link talks to, for messages.</summary>
        string Description { get; }

        /// <summary>Sends <paramref name="command"/> and returns the answer lines, the status line last.</summary>
        /// <exception cref="TimeoutException">No status line within <paramref name="timeoutMs"/>.</exception>
        IReadOnlyList<string> Exchange(string command, int timeoutMs);
    }

    /// <summary>Helpers over answers.</summary>
    public static class ConsoleAnswers
    {
        /// <summary>True for a status line.</summary>
        public static bool IsStatus(string line) => line == "OK" || line.StartsWith("ERR", StringComparison.Ordinal);

        /// <summary>True when the answer ended with OK.</summary>
        public static bool IsOk(IReadOnlyList<string> answer) => answer.Count > 0 && answer[^1] == "OK";
    }
}
