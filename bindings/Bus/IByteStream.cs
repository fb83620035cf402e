namespace Gateway.Bindings.Bus
{
    /// <summary>
    /// A byte stream from a UART peripheral, as small as the portable code needs. The device implements it over
    /// System.IO.Ports.SerialPort; the simulator over a virtual part that emits the part's real frames.
    /// </summary>
    public interface IByteStream
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/>,
        /// waiting at most the stream's read timeout; returns the number read (0 on timeout or disconnection).
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes <paramref name="count"/> bytes (a trigger command, for example).</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Drops whatever is waiting in the receive buffer (stale frames before a new measurement).</summary>
        void DiscardInput();
    }
}
