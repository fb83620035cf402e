namespace Gateway.Control.Technician
{
    /// <summary>
    /// A line-oriented text port for the technician console: the USB serial port on the device, a pipe or a test
    /// double on the host. Lines are without their terminator.
    /// </summary>
    public interface IConsolePort
    {
        /// <summary>Waits up to <paramref name="timeoutMs"/> ms for one line; null when none arrived.</summary>
        string ReadLine(int timeoutMs);

        /// <summary>Writes one line (the port adds the terminator).</summary>
        void WriteLine(string line);
    }
}
