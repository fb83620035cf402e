using System;
using System.IO.Ports;
using System.Threading;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Uplink;

namespace Gateway.Hardware.Esp32.Uplink
{
    /// <summary>
    /// <see cref="ISerialLine"/> over an ESP32 UART (System.IO.Ports.SerialPort), for the RAK3172 (115200 8N1) or a
    /// cellular modem. Bytes are split into lines by the portable <see cref="LineAssembler"/>; reading polls
    /// BytesToRead with short sleeps, so a silent module costs no CPU beyond the timeout.
    /// </summary>
    /// <remarks>
    /// Pin mapping of COM2 (RX/TX) is set before construction with nanoFramework.Hardware.Esp32.Configuration by the
    /// board's composition code. Buffers are allocated once. It also reports a modem's data prompt ('&gt;' at the
    /// start of a line, no line end: the SIM7080G after AT+SMPUB) through <see cref="ReadLineOrPrompt"/>.
    /// </remarks>
    public sealed class SerialPortLine : ISerialPromptLine
    {
        private const int PollMs = 5;

        private readonly SerialPort _port;
        private readonly LineAssembler _assembler;
        private readonly byte[] _chunk = new byte[128];
        private int _chunkLength;
        private int _chunkPosition;

        /// <summary>Opens <paramref name="portName"/> (e.g. "COM2") at <paramref name="baudRate"/> 8N1.</summary>
        public SerialPortLine(string portName, int baudRate, int lineCapacity)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.ReadTimeout = 50;
            _port.WriteTimeout = 1000;
            _port.Open();
            _assembler = new LineAssembler(lineCapacity);
        }

        /// <inheritdoc />
        public void Write(byte[] data, int offset, int count)
        {
            _port.Write(data, offset, count);
        }


        /// <inheritdoc />
        public int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs)
        {
            return Read(buffer, offset, capacity, timeoutMs, -1);
        }

        /// <inheritdoc />
        public int ReadLineOrPrompt(byte[] buffer, int offset, int capacity, int timeoutMs, byte prompt)
        {
            return Read(buffer, offset, capacity, timeoutMs, prompt);
        }

        private int Read(byte[] buffer, int offset, int capacity, int timeoutMs, int prompt)
        {
            long deadline = Environment.TickCount64 + timeoutMs;
            while (true)
            {
                while (_chunkPosition < _chunkLength)
                {
                    int r = _assembler.Push(_chunk[_chunkPosition++], prompt);
                    if (r == LineAssembler.PromptSeen)
                    {
                        return PromptLineStatus.Prompt;
                    }

                    if (r == SerialLineStatus.Overflow)
                    {
                        return SerialLineStatus.Overflow;
                    }

                    if (r == 1)
                    {
                        return _assembler.CopyLine(buffer, offset, capacity);
                    }
                }

                int available = _port.BytesToRead;
                if (available > 0)
                {
                    _chunkLength = _port.Read(_chunk, 0, available < _chunk.Length ? available : _chunk.Length);
                    _chunkPosition = 0;
                    continue;
                }

                if (Environment.TickCount64 >= deadline)
                {
                    return SerialLineStatus.Timeout;
                }

                Thread.Sleep(PollMs);
            }
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            _chunkLength = 0;
            _chunkPosition = 0;
            _assembler.Reset();
            int available = _port.BytesToRead;
            while (available > 0)
            {
                _port.Read(_chunk, 0, available < _chunk.Length ? available : _chunk.Length);
                available = _port.BytesToRead;
            }
        }
    }
}
