using System;
using System.Collections.Generic;
using System.Text;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Uplink;
using Gateway.Virtual.Time;

namespace Gateway.Virtual.LoRa
{
    /// <summary>
    /// The host end of a virtual UART to a module emulator. Lines the module emits carry the virtual time at which
    /// they appear; <see cref="ReadLine"/> moves the <see cref="VirtualClock"/> forward to that time (or by the whole
    /// timeout when nothing is due), so drivers run against emulators in virtual time, fast and deterministic.
    /// Times are the clock's wall time, which runs on across the host's reboots and deep sleeps as a module's own
    /// clock does (do not set the wall time backwards while lines are pending).
    /// Modules may emit from another thread (a cellular emulator's MQTT client); the queue is locked. A module can
    /// take the next N written bytes raw (<see cref="ExpectRaw"/>: binary data after a modem's '&gt;' prompt), and
    /// <see cref="ReadLineOrPrompt"/> reports a prompt byte that arrives at the start of a line without a line end.
    /// </summary>
    public sealed class VirtualSerialLine : ISerialPromptLine
    {
        private readonly VirtualClock _clock;
        private readonly List<(long dueMs, long order, byte[] bytes)> _pending = new();
        private readonly LineAssembler _assembler = new(4096);
        private long _order;

        /// <summary>Creates a line on <paramref name="clock"/>; attach the module with <see cref="Module"/>.</summary>
        public VirtualSerialLine(VirtualClock clock)
        {
            _clock = clock;
        }

        /// <summary>Called with each complete line (without CR/LF) the host writes; the module answers through <see cref="Emit"/>.</summary>
        public Action<string>? Module { get; set; }

        /// <summary>Every line the host wrote, oldest first (for tests).</summary>
        public List<string> Written { get; } = new();

        /// <summary>The virtual clock this line runs on.</summary>
        public VirtualClock Clock => _clock;

        /// <summary>Queues a line (CR LF added) from the module to appear at wall time <paramref name="dueMs"/> (Unix ms).</summary>
        public void Emit(string line, long dueMs) => EmitRaw(Encoding.ASCII.GetBytes(line + "\r\n"), dueMs);

        /// <summary>Queues raw bytes from the module (noise, a line without an end) to appear at <paramref name="dueMs"/>.</summary>
        public void EmitRaw(byte[] bytes, long dueMs)
        {
            lock (_pending)
            {
                _pending.Add((Math.Max(dueMs, _clock.WallTimeMs), _order++, bytes));
            }
        }

        /// <summary>Lines (or raw chunks) queued and not yet read.</summary>
        public int PendingCount
        {
            get
            {
                lock (_pending)
                {
                    return _pending.Count;
                }
            }
        }

        private byte[]? _raw;
        private int _rawFill;
        private Action<byte[]>? _rawDone;

        /// <summary>
        /// Hands the next <paramref name="count"/> bytes the host writes to <paramref name="done"/> as they are, instead
        /// of splitting them into lines (the data phase of a modem command such as AT+SMPUB).
        /// </summary>
        public void ExpectRaw(int count, Action<byte[]> done)
        {
            _raw = new byte[count];
            _rawFill = 0;
            _rawDone = done;
            if (count == 0)
            {
                FinishRaw();
            }
        }

        /// <summary>Stops waiting for raw bytes (the module was reset).</summary>
        public void CancelRaw()
        {
            _raw = null;
            _rawDone = null;
        }

        private void FinishRaw()
        {
            var data = _raw!;
            var done = _rawDone!;
            _raw = null;
            _rawDone = null;
            done(data);
        }

        /// <inheritdoc />
        public void Write(byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (_raw != null)
                {
                    _raw[_rawFill++] = data[offset + i];
                    if (_rawFill == _raw.Length)
                    {
                        FinishRaw();
                    }

                    continue;
                }

                if (_assembler.Push(data[offset + i]) == 1)
                {
                    string line = Encoding.ASCII.GetString(_assembler.Line, 0, _assembler.Length);
                    Written.Add(line);
                    Module?.Invoke(line);
                }
            }
        }

        private readonly LineAssembler _reader = new(4096);
        private byte[]? _current;
        private int _currentPos;


        /// <inheritdoc />
        public int ReadLine(byte[] buffer, int offset, int capacity, int timeoutMs) => Read(buffer, offset, capacity, timeoutMs, -1);

        /// <inheritdoc />
        public int ReadLineOrPrompt(byte[] buffer, int offset, int capacity, int timeoutMs, byte prompt) =>
            Read(buffer, offset, capacity, timeoutMs, prompt);

        private int Read(byte[] buffer, int offset, int capacity, int timeoutMs, int prompt)
        {
            long deadline = _clock.WallTimeMs + Math.Max(0, timeoutMs);
            while (true)
            {
                if (_current == null)
                {
                    (long dueMs, long order, byte[] bytes) item;
                    lock (_pending)
                    {
                        int next = NextDue();
                        if (next < 0 || _pending[next].dueMs > deadline)
                        {
                            _clock.Advance(Math.Max(0, deadline - _clock.WallTimeMs));
                            return SerialLineStatus.Timeout;
                        }

                        item = _pending[next];
                        _pending.RemoveAt(next);
                    }

                    if (item.dueMs > _clock.WallTimeMs)
                    {
                        _clock.Advance(item.dueMs - _clock.WallTimeMs);
                    }

                    _current = item.bytes;
                    _currentPos = 0;
                }

                while (_currentPos < _current.Length)
                {
                    int r = _reader.Push(_current[_currentPos++], prompt);
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
                        return _reader.CopyLine(buffer, offset, capacity);
                    }
                }

                _current = null;
            }
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            lock (_pending)
            {
                _pending.RemoveAll(p => p.dueMs <= _clock.WallTimeMs);
            }

            _current = null;
            _reader.Reset();
        }

        private int NextDue()
        {
            int best = -1;
            for (int i = 0; i < _pending.Count; i++)
            {
                if (best < 0 || _pending[i].dueMs < _pending[best].dueMs
                    || (_pending[i].dueMs == _pending[best].dueMs && _pending[i].order < _pending[best].order))
                {
                    best = i;
                }
            }

            return best;
        }
    }
}
