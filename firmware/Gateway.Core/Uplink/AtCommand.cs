namespace Gateway.Core.Uplink
{
    /// <summary>
    /// One AT command line built in a fixed buffer (text, quoted strings, decimal numbers, hex payloads) and written
    /// with its CR LF to an <see cref="ISerialLine"/>: the command plumbing both module drivers (RAK3172, SIM7080G)
    /// share. Nothing is allocated per command; what would overflow the buffer is cut, never written past it.
    /// </summary>
    public sealed class AtCommand
    {
        private readonly byte[] _buffer;
        private int _length;

        /// <summary>Creates a command buffer for lines of at most <paramref name="capacity"/> bytes (CR LF included).</summary>
        public AtCommand(int capacity)
        {
            _buffer = new byte[capacity < 3 ? 3 : capacity];
        }

        /// <summary>Length of the command built so far, without CR LF.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Starts a new command with <paramref name="text"/>.</summary>
        public void Begin(string text)
        {
            _length = 0;
            Append(text);
        }

        /// <summary>Appends <paramref name="text"/> as it is (ASCII).</summary>
        public void Append(string text)
        {
            for (int i = 0; i < text.Length && _length < _buffer.Length - 2; i++)
            {
                _buffer[_length++] = (byte)text[i];
            }
        }

        /// <summary>Appends "text" in quotes: a quote or a non-printable character inside is not representable and is dropped.</summary>
        public void AppendQuoted(string text)
        {
            Append("\"");
            for (int i = 0; i < text.Length && _length < _buffer.Length - 3; i++)
            {
                char c = text[i];
                if (c != '"' && c >= ' ' && c <= '~')
                {
                    _buffer[_length++] = (byte)c;
                }
            }

            Append("\"");
        }

        /// <summary>Appends <paramref name="value"/> in decimal.</summary>
        public void AppendInt(int value)
        {
            long v = value;
            if (v < 0)
            {
                Append("-");
                v = -v;
            }

            long divisor = 1;
            while (v / divisor >= 10)
            {
                divisor *= 10;
            }

            while (divisor > 0 && _length < _buffer.Length - 2)
            {
                _buffer[_length++] = (byte)('0' + (int)((v / divisor) % 10));
                divisor /= 10;
            }
        }

        /// <summary>Appends <paramref name="count"/> bytes as uppercase hex digits.</summary>
        public void AppendHex(byte[] data, int offset, int count)
        {
            const string digits = "0123456789ABCDEF";
            for (int i = 0; i < count && _length < _buffer.Length - 3; i++)
            {
                byte b = data[offset + i];
                _buffer[_length++] = (byte)digits[b >> 4];
                _buffer[_length++] = (byte)digits[b & 0x0F];
            }
        }

        /// <summary>Ends the command with CR LF and writes it to <paramref name="line"/>.</summary>
        public void SendTo(ISerialLine line)
        {
            _buffer[_length] = (byte)'\r';
            _buffer[_length + 1] = (byte)'\n';
            line.Write(_buffer, 0, _length + 2);
        }

        /// <summary>Copies the command built so far (without CR LF) as text, for logs and tests.</summary>
        public override string ToString()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                chars[i] = (char)_buffer[i];
            }

            return new string(chars);
        }
    }
}
