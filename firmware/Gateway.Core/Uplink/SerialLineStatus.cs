namespace Gateway.Core.Uplink
{
    /// <summary>Negative results of <see cref="ISerialLine.ReadLine"/>.</summary>
    public static class SerialLineStatus
    {
        /// <summary>No complete line arrived within the timeout.</summary>
        public const int Timeout = -1;

        /// <summary>A line longer than the buffer arrived and was discarded whole.</summary>
        public const int Overflow = -2;
    }
}
