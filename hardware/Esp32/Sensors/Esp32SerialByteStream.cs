using System;
using System.IO.Ports;
using Gateway.Bindings.Bus;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>
    /// A UART as the bindings' <see cref="IByteStream"/> (the A02YYUW / JSN-SR04T ranger at 9600 8N1).
    /// The board configuration maps the pins (Configuration.SetPinFunction COMx_RX/TX) before construction.
    /// </summary>
    public sealed class Esp32SerialByteStream : IByteStream, IDisposable
    {
        private readonly SerialPort _port;
        private readonly byte[] _drain = new byte[32];

        /// <summary>Opens <paramref name="portName"/> ("COM2") at <paramref name="baudRate"/> with a read timeout.</summary>
        public Esp32SerialByteStream(string portName, int baudRate, int readTimeoutMs)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.ReadTimeout = readTimeoutMs;
            _port.Open();
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _port.Read(buffer, offset, count);
            }
            catch (Exception)
            {
                // A timeout is an exception on the device: report it as "nothing read".
                return 0;
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            int waiting = _port.BytesToRead;
            while (waiting > 0)
            {
                int n = _port.Read(_drain, 0, waiting < _drain.Length ? waiting : _drain.Length);
                if (n <= 0)
                {
                    break;
                }

                waiting -= n;
            }
        }

        /// <summary>Closes the port.</summary>
        public void Dispose()
        {
            _port.Dispose();
        }
    }
}
