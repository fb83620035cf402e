namespace Gateway.Core.Uplink
{
    /// <summary>
    /// A line-oriented serial link to a module that speaks text commands (LoRaWAN module, cellular modem). The device
    /// implements it over a UART (System.IO.Ports.SerialPort with <see cref="LineAssembler"/>); the host over a virtual
    /// line wired to a module emulator.
    /// </summary>
    public interface ISerialLine
    {
        /// <summary>Sends bytes as they are (the caller appends CR LF to end a command).</summary>
        void Write(byte[] data, int offset, int count);

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for one complete line and copies it, without its CR/LF, into
        /// <paramref name="buffer"/> at <paramref name="offset"/>. Returns the line's length (0 for an empty line),
        /// <see cref="SerialLineStatus.Timeout"/> when no line arrived in time, or <see cref="SerialLineStatus.Overflow"/>
        /// when the line was longer than <paramref name="capacity"/> (the whole line is then discarded).
        /// </summary>
        int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs);

        /// <summary>Drops any bytes received but not yet read (before a command whose reply must not mix with old lines).</summary>
        void DiscardInput();
    }
}
