using System;
using System.Threading;

namespace Gateway.Control
{
    /// <summary>Called by the <see cref="Watchdog"/> just before it reboots: persist the reason (must not block long).</summary>
    public delegate void WatchdogExpiredHandler(string stage, long silentMs);

    /// <summary>Restarts the device now (on the ESP32, a software reset); does not return.</summary>
    public delegate void RebootHandler();

    /// <summary>
    /// A supervisor thread that reboots the device when the main loop has not checked in for longer than the limit
    /// (a hung sensor bus, a modem that never answers, a deadlock). Before rebooting it hands the stage the loop was
    /// last in to <see cref="WatchdogExpiredHandler"/>, so the reason is persisted and reported at the next boot.
    /// </summary>
    /// <remarks>
    /// This is a software watchdog on the managed runtime: it catches managed hangs, not a wedged runtime. The ESP32's
    /// hardware task watchdog (enabled in the nanoFramework firmware image) covers the latter.
    /// </remarks>
    public sealed class Watchdog
    {
        private readonly object _sync = new object();
        private readonly long _limitMs;
        private readonly int _pollMs;
        private readonly WatchdogExpiredHandler _expired;
        private readonly RebootHandler _reboot;
        private long _lastCheckInMs;
        private string _stage = "start";
        private bool _running;
        private Thread _thread;

        /// <summary>Creates the watchdog; nothing runs until <see cref="Start"/>.</summary>
        public Watchdog(long limitMs, WatchdogExpiredHandler expired, RebootHandler reboot)
        {
            if (limitMs < 1000)
            {
                throw new ArgumentOutOfRangeException("limitMs");
            }

            _limitMs = limitMs;
            _pollMs = limitMs > 10000 ? 1000 : 250;
            _expired = expired;
            _reboot = reboot;
        }

        /// <summary>The stage of the last check-in.</summary>
        public string Stage
        {
            get
            {
                lock (_sync)
                {
                    return _stage;
                }
            }
        }

        /// <summary>Starts the supervisor thread (counts from now).</summary>
        public void Start()
        {
            CheckIn("start");
            _running = true;
            _thread = new Thread(new ThreadStart(Supervise));
            _thread.Start();
        }

        /// <summary>The main loop is alive and now in <paramref name="stage"/> (a constant string: no allocation).</summary>
        public void CheckIn(string stage)
        {
            lock (_sync)
            {
                _lastCheckInMs = Environment.TickCount64;
                _stage = stage;
            }
        }

        /// <summary>Stops supervising (before a deep sleep or a planned reboot).</summary>
        public void Stop()
        {
            _running = false;
        }

        private void Supervise()
        {
            while (_running)
            {
                Thread.Sleep(_pollMs);
                long silent;
                string stage;
                lock (_sync)
                {
                    silent = Environment.TickCount64 - _lastCheckInMs;
                    stage = _stage;
                }

                if (!_running || silent <= _limitMs)
                {
                    continue;
                }

                try
                {
                    if (_expired != null)
                    {
                        _expired(stage, silent);
                    }
                }
                catch (Exception)
                {
                    // Rebooting matters more than the record.
                }

                _reboot();
            }
        }
    }
}
