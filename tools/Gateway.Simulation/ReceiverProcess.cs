using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;

namespace Gateway.Simulation
{
    /// <summary>
    /// <c>./gateway cloud run</c> as its own operating-system process, as the regional operator runs it: started with
    /// the broker, the database and the key file, awaited until its <c>{"event":"ready"}</c> line, watched through its
    /// <c>{"event":"status"}</c> lines, stopped with SIGTERM (it finishes what it holds and closes the database).
    /// Its stderr (rejections with reasons) goes to a log file.
    /// </summary>
    public sealed class ReceiverProcess : IDisposable
    {
        private const int SigTerm = 15;
        private readonly Process _process;
        private readonly object _gate = new();
        private readonly ManualResetEventSlim _ready = new(false);
        private readonly List<string> _lastErrors = new();
        private readonly StreamWriter? _log;
        private readonly Thread _stdout;
        private readonly Thread _stderr;

        private readonly HashSet<string> _fences = new(StringComparer.Ordinal);

        /// <summary>
        /// Starts <paramref name="command"/> (executable, then its leading arguments) with <paramref name="arguments"/> after
        /// them; its stderr goes to <paramref name="logPath"/> (appended to with <paramref name="appendLog"/>: a restart).
        /// </summary>
        public ReceiverProcess(IReadOnlyList<string> command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? logPath,
            bool appendLog = false)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (command.Count == 0)
            {
                throw new ArgumentException("the receiver command is empty", nameof(command));
            }

            var psi = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            for (var i = 1; i < command.Count; i++)
            {
                psi.ArgumentList.Add(command[i]);
            }

            foreach (var a in arguments)
            {
                psi.ArgumentList.Add(a);
            }

            if (environment != null)
            {
                foreach (var (k, v) in environment)
                {
                    psi.Environment[k] = v;
                }
            }

            CommandLine = string.Join(' ', psi.ArgumentList.Prepend(psi.FileName));
            _log = logPath is null ? null : new StreamWriter(logPath, appendLog) { AutoFlush = true };
            Command = command;
            Arguments = psi.ArgumentList.Skip(command.Count - 1).ToList();
            ExtraEnvironment = environment;
            LogPath = logPath;
            _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + command[0]);
            _stdout = new Thread(ReadStdout) { IsBackground = true, Name = "receiver-stdout" };
            _stderr = new Thread(ReadStderr) { IsBackground = true, Name = "receiver-stderr" };
            _stdout.Start();
            _stderr.Start();
        }

        /// <summary>The command (executable, leading arguments) it was started with.</summary>
        public IReadOnlyList<string> Command { get; }

        /// <summary>The arguments after the command.</summary>
        public IReadOnlyList<string> Arguments { get; }

        /// <summary>The extra environment.</summary>
        public IReadOnlyDictionary<string, string>? ExtraEnvironment { get; }

        /// <summary>The log file, or null.</summary>
        public string? LogPath { get; }

        /// <summary>The receiver's private probe topic (from its ready line), where a fence goes.</summary>
        public string? ProbeTopic { get; private set; }

        /// <summary>Messages it had acknowledged to the broker at its latest status line.</summary>
        public long Acknowledged { get; private set; }

        /// <summary>The command line run (for messages).</summary>
        public string CommandLine { get; }

        /// <summary>The process id.</summary>
        public int ProcessId => _process.Id;

        /// <summary>True once the receiver said it is subscribed.</summary>
        public bool IsReady => _ready.IsSet;

        /// <summary>Messages the receiver had handled at its latest status line.</summary>
        public long Messages { get; private set; }

        /// <summary>Readings it had newly stored at its latest status line.</summary>
        public long Stored { get; private set; }

        /// <summary>Messages it had rejected at its latest status line.</summary>
        public long Rejected { get; private set; }

        /// <summary>True when its latest status line said nothing was queued or in hand.</summary>
        public bool Idle { get; private set; }

        /// <summary>The ready line's figures (chain states loaded, device keys, ...), raw JSON.</summary>
        public string? ReadyLine { get; private set; }

        /// <summary>The "stopped" line, raw JSON, once it stopped cleanly.</summary>
        public string? StoppedLine { get; private set; }

        /// <summary>Exit code once exited.</summary>
        public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

        /// <summary>The usual command for the receiver: this very CLI (<c>dotnet gateway.dll</c> or its apphost).</summary>
        public static IReadOnlyList<string> CurrentCli()
        {
            var entry = Assembly.GetEntryAssembly();
            var exe = Environment.ProcessPath;
            if (entry is null || exe is null || !string.Equals(entry.GetName().Name, "gateway", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the receiver runs as ./gateway cloud run: set SimOptions.ReceiverCommand when not running inside the gateway CLI");
            }

            return Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                ? new[] { exe, entry.Location }
                : new[] { exe };
        }

        /// <summary>Waits for the ready line; throws with the receiver's last words when it exits or times out instead.</summary>
        public void WaitReady(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!_ready.Wait(100))
            {
                if (_process.HasExited || sw.Elapsed > timeout)
                {
                    _stderr.Join(1000);
                    throw new InvalidOperationException($"the receiver ({CommandLine}) did not become ready{(_process.HasExited ? $": exited with {_process.ExitCode}" : " in time")}: {LastErrors()}");
                }
            }
        }

        /// <summary>Waits until the receiver reports at least <paramref name="messages"/> messages handled and nothing left; true when it did.</summary>
        public bool WaitHandled(long messages, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < timeout && !_process.HasExited)
            {
                lock (_gate)
                {
                    if (Messages >= messages && Idle)
                    {
                        return true;
                    }

                    Monitor.Wait(_gate, 100);
                }
            }

            return false;
        }

        /// <summary>Waits until the receiver reports fence <paramref name="id"/>: everything the broker delivered to it before is handled.</summary>
        public bool WaitFence(string id, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            lock (_gate)
            {
                while (!_fences.Contains(id))
                {
                    if (sw.Elapsed > timeout || _process.HasExited)
                    {
                        return false;
                    }

                    Monitor.Wait(_gate, 100);
                }
            }

            return true;
        }

        /// <summary>Kills it at once (SIGKILL: no clean stop, whatever it held unacknowledged stays with the broker) and waits for it to exit.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.WaitForExit();
            _stdout.Join(5000);
            _stderr.Join(5000);
        }

        /// <summary>Stops it with SIGTERM and waits for a clean exit (killing it after <paramref name="timeout"/>); returns the exit code.</summary>
        public int Stop(TimeSpan timeout)
        {
            if (!_process.HasExited)
            {
                _ = kill(_process.Id, SigTerm);
                if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit();
                }
            }

            _process.WaitForExit();
            _stdout.Join(5000);
            _stderr.Join(5000);
            return _process.ExitCode;
        }

        /// <summary>The receiver's last stderr lines.</summary>
        public string LastErrors()
        {
            lock (_lastErrors)
            {
                return string.Join(" | ", _lastErrors);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.StandardInput.Close(); // it stops when stdin closes (--stop-on-stdin-close)
                }
                catch (IOException)
                {
                }

                Stop(TimeSpan.FromSeconds(30));
            }

            _process.Dispose();
            lock (_lastErrors)
            {
                _log?.Dispose();
            }

            _ready.Dispose();
        }

        private void ReadStdout()
        {
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) != null)
            {
                if (!line.StartsWith("{\"event\"", StringComparison.Ordinal))
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var root = doc.RootElement;
                    switch (root.GetProperty("event").GetString())
                    {
                        case "ready":
                            ReadyLine = line;
                            if (root.TryGetProperty("probe_topic", out var probe))
                            {
                                ProbeTopic = probe.GetString();
                            }

                            _ready.Set();
                            break;
                        case "status":
                            lock (_gate)
                            {
                                Messages = root.GetProperty("messages").GetInt64();
                                Stored = root.GetProperty("stored").GetInt64();
                                Rejected = root.GetProperty("rejected").GetInt64();
                                Idle = root.GetProperty("idle").GetBoolean();
                                Acknowledged = root.TryGetProperty("acknowledged", out var acked) ? acked.GetInt64() : 0;
                                Monitor.PulseAll(_gate);
                            }

                            break;
                        case "stopped":
                            StoppedLine = line;
                            break;
                        case "fence":
                            lock (_gate)
                            {
                                _fences.Add(root.GetProperty("id").GetString() ?? string.Empty);
                                Monitor.PulseAll(_gate);
                            }

                            break;
                    }
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    // Not one of ours: ignore.
                }
            }
        }

        private void ReadStderr()
        {
            string? line;
            while ((line = _process.StandardError.ReadLine()) != null)
            {
                lock (_lastErrors)
                {
                    _log?.WriteLine(line);
                    _lastErrors.Add(line);
                    if (_lastErrors.Count > 5)
                    {
                        _lastErrors.RemoveAt(0);
                    }
                }
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
