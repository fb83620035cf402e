namespace Gateway.DeviceTests.Support
{
    /// <summary>Modem lines as the UART delivers them: one byte per character (the recorded lines are ASCII; Latin-1 above).</summary>
    public static class AsciiLine
    {
        /// <summary>The bytes of <paramref name="line"/>, one per character.</summary>
        public static byte[] Bytes(string line)
        {
            byte[] bytes = new byte[line.Length];
            for (int i = 0; i < line.Length; i++)
            {
                bytes[i] = (byte)line[i];
            }

            return bytes;
        }
    }
}
