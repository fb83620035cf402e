using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Gateway.Simulation.Hil
{
    /// <summary>
    /// The console of a real gateway over a serial device (/dev/ttyUSB0, 115200 8N1, CRLF). There is no
    /// System.IO.Ports package on this feed: the tty is configured with coreutils' <c>stty -F DEV BAUD raw -echo</c>
    /// and opened as a file; a reader thread splits lines, so every wait has a timeout. Also works on a
    /// pseudo-terminal (the tests play the device on the master side).
    /// </summary>
    public sealed class SerialConsoleLink : IConsoleLink
    {
        private readonly FileStream _stream;
        private readonly Thread _reader;
        private readonly Queue<string> _lines = new();
        private readonly object _sync = new();
        private volatile bool _closed;

        /// <summary>Configures and opens <paramref name="device"/>.</summary>
        /// <exception cref="IOException">stty failed or the device cannot be opened.</exception>
        public SerialConsoleLink(string device, int baud, bool configure = true)
        {
            Device = device;
            if (configure)
            {
                Stty(device, baud);
            }

            _stream = new FileStream(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "serial-console " + device };
            _reader.Start();
        }

        /// <summary>The device path.</summary>
        public string Device { get; }

        /// <inheritdoc />
        public string Description => "serial " + Device;

        /// <summary>Runs <c>stty -F DEV BAUD raw -echo</c> (8N1 raw, no echo, no line discipline).</summary>
        public static void Stty(string device, int baud)
        {
            var psi = new ProcessStartInfo("stty") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-F", device, baud.ToString(System.Globalization.CultureInfo.InvariantCulture), "raw", "-echo", "-echoe", "-echok", "cs8", "-cstopb", "-parenb" })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi) ?? throw new IOException("stty did not start");
            var err = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(5000) || p.ExitCode != 0)
            {
                throw new IOException($"stty -F {device} {baud} raw -echo failed: {err.Trim()}");
            }
        }

        /// <summary>Writes one line (CRLF).</summary>
        public void WriteLine(string line)
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
            _stream.Write(bytes, 0, bytes.Length);
            _stream.Flush();
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> for one line; null on timeout.</summary>
        public string? ReadLine(int timeoutMs)
        {
            var deadline = Environment.TickCount64 + timeoutMs;
            lock (_sync)
            {
                while (_lines.Count == 0)
                {
                    var left = deadline - Environment.TickCount64;
                    if (left <= 0 || _closed)
                    {
                        return null;
                    }

                    Monitor.Wait(_sync, (int)Math.Min(left, 200));
                }

                return _lines.Dequeue();
            }
        }

        /// <inheritdoc />
        public IReadOnlyList<string> Exchange(string command, int timeoutMs)
        {
            WriteLine(command);
            var answer = new List<string>();
            var deadline = Environment.TickCount64 + timeoutMs;
            while (true)
            {
                var left = deadline - Environment.TickCount64;
                var line = left > 0 ? ReadLine((int)left) : null;
                if (line is null)
                {
                    throw new TimeoutException($"{Description}: no OK/ERR within {timeoutMs} ms after '{FirstWord(command)}' ({answer.Count} lines so far)");
                }

                answer.Add(line);
                if (ConsoleAnswers.IsStatus(line))
                {
                    return answer;
                }
            }
        }

        private static string FirstWord(string command)
        {
            var i = command.IndexOf(' ', StringComparison.Ordinal);
            return i < 0 ? command : command[..i];
        }

        private void ReadLoop()
        {
            var buffer = new byte[512];
            var line = new List<byte>();
            try
            {
                while (!_closed)
                {
                    var n = _stream.Read(buffer, 0, buffer.Length);
                    if (n <= 0)
                    {
                        Thread.Sleep(10);
                        continue;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        var b = buffer[i];
                        if (b == (byte)'\n' || b == (byte)'\r')
                        {
                            if (line.Count > 0)
                            {
                                var text = Encoding.UTF8.GetString(line.ToArray());
                                line.Clear();
                                lock (_sync)
                                {
                                    _lines.Enqueue(text);
                                    Monitor.PulseAll(_sync);
                                }
                            }
                        }
                        else if (line.Count < 65536)
                        {
                            line.Add(b);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The port went away (unplugged, closed): waiting readers time out.
            }
            finally
            {
                lock (_sync)
                {
                    _closed = true;
                    Monitor.PulseAll(_sync);
                }
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _closed = true;
            _stream.Dispose();
        }
    }
}
