using System;
using System.Diagnostics;
using System.Threading;
using Gateway.Control.Config;
using Gateway.Control.Technician;
using Gateway.Control;
using Gateway.Core.Node;
using Gateway.Hardware.Esp32.Board;
using Gateway.Hardware.Esp32.Power;
using nanoFramework.Hardware.Esp32;

namespace Gateway.Firmware
{
    /// <summary>
    /// The device entry point: every wake (deep-sleep timer, power-on, watchdog reboot) starts here with empty RAM.
    /// wake cause → mount I: → reset record → configuration and provisioning (refuse to send without a key, and
    /// say why) → sensors, transport, node → Boot → cycles → Suspend → deep sleep until the next sample is due.
    /// A supervisor thread reboots the device when the loop stops checking in, and records why.
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// The pin map until the configuration is loaded. One image serves both boards of hardware/boards/: they share
        /// every pin but COM2's modem, which <see cref="GatewayComposition.LoadControl"/> chooses from the configured
        /// transport (esp32-rak3172 for LoRaWAN, esp32-sim7080g for cellular).
        /// </summary>
        private static readonly BoardPins Pins = Esp32Rak3172Board.Pins();

        /// <summary>
        /// Longest the main loop may stay silent before the watchdog reboots. The RAK3172 driver may wait for the
        /// airtime ledger inside one join (up to its 10-minute backoff cap) without returning, so the limit is above that.
        /// </summary>
        private const long WatchdogLimitMs = 720000;

        /// <summary>Longest stay awake in one wake (rapid cadence during a flood), after which the gateway deep-sleeps once.</summary>
        private const long MaxAwakeMs = 600000;

        /// <summary>After a fatal error the gateway sleeps this long and starts again.</summary>
        private const long FatalRetryMs = 600000;

        /// <summary>The technician console closes after this long without a line.</summary>
        private const int ConsoleIdleMs = 600000;

        private static GatewayComposition _root;
        private static Watchdog _watchdog;
        private static bool _configChanged;

        /// <summary>Firmware entry point.</summary>
        public static void Main()
        {
            long mainMs = DeviceClock.Uptime;
            Sleep.WakeupCause cause = Esp32Power.WakeCause();
            bool deepSleepWake = Esp32Power.IsDeepSleepWake(cause);
            _root = new GatewayComposition(Pins);
            string stage = "mount";
            try
            {
                _root.Mount();
                string resetLine = _root.Reset.Describe(deepSleepWake, Esp32Power.Describe(cause));
                Debug.WriteLine("Gateway: " + resetLine);

                _watchdog = new Watchdog(WatchdogLimitMs, new WatchdogExpiredHandler(OnWatchdogExpired), new RebootHandler(Esp32Power.Reboot));
                _watchdog.Start();

                stage = "control";
                _watchdog.CheckIn(stage);
                if (!_root.LoadControl())
                {
                    // Readings are still sampled and kept; nothing leaves the gateway unsigned or unaddressed.
                    Debug.WriteLine("NOT SENDING: " + _root.SendRefusal);
                }

                _root.Config.Changed += new ConfigChangedHandler(OnConfigChanged);
                stage = "boot";
                _watchdog.CheckIn(stage);
                GatewayNode node = _root.BuildNode();

                // How long this start took (hil reads it from the console's status; ENERGY.md P1). RAM only.
                string wakeLine = WakeTiming.Format(mainMs, _root.Clock.UptimeMs, deepSleepWake);
                Debug.WriteLine("boot " + node.BootCounter.ToString() + ", log next " + node.Log.NextSequence.ToString() + "; " + wakeLine);

                if (_root.Board.TechnicianButtonHeld())
                {
                    stage = "console";
                    RunConsole(resetLine, wakeLine);
                }

                stage = "cycle";
                long sleepMs = RunCycles(node);

                stage = "suspend";
                _watchdog.CheckIn(stage);
                _root.Suspend(node.RebootRequested ? 0 : sleepMs);
                if (node.RebootRequested)
                {
                    _watchdog.Stop();
                    _root.Reset.Write(ResetReason.Planned, "cloud command", node.BootCounter, _root.Clock.WallTimeMs, 0);
                    Esp32Power.Reboot();
                    return;
                }

                _root.Reset.Write(ResetReason.DeepSleep, "sleep", node.BootCounter, _root.Clock.WallTimeMs, 0);
                _watchdog.Stop();
                Debug.WriteLine("deep sleep " + sleepMs.ToString() + " ms");
                Esp32Power.DeepSleep(sleepMs);
            }
            catch (Exception ex)
            {
                Debug.WriteLine("FATAL in " + stage + ": " + ex.Message);
                try
                {
                    if (_root.Reset != null)
                    {
                        _root.Reset.Write(ResetReason.Fatal, stage, _root.Node == null ? 0 : _root.Node.BootCounter, 0, 0);
                    }
                }
                catch (Exception)
                {
                    // The reboot matters more than the record.
                }

                // Sleep rather than reboot at once: a fault that repeats at every boot must not drain the battery or
                // wear the flash in a tight loop. The next wake reports "deep-sleep wake (record says fatal)".
                Esp32Power.DeepSleep(FatalRetryMs);
            }
        }

        /// <summary>
        /// Runs the node's cycles while the next one is close (keeping RAM: filters, rate windows, pre-trigger ring);
        /// returns how long to deep-sleep.
        /// </summary>
        private static long RunCycles(GatewayNode node)
        {
            long awakeSince = _root.Clock.UptimeMs;
            ConfigErrors errors = new ConfigErrors();
            int acknowledged = node.AcknowledgementsApplied;
            while (true)
            {
                _watchdog.CheckIn("cycle");
                long nextUptime = node.RunCycle();
                if (node.ConfigProposed)
                {
                    _root.ApplyProposals(errors);
                }

                // A trial configuration is confirmed by an acknowledged uplink, or reverted after its sampling periods.
                if (node.AcknowledgementsApplied > acknowledged)
                {
                    acknowledged = node.AcknowledgementsApplied;
                    _root.Config.ReportUplinkSuccess();
                }
                else if (_root.Config.OnSamplingPeriodElapsed())
                {
                    Debug.WriteLine(_root.Config.LastRevertReason);
                }

                long wait = nextUptime - _root.Clock.UptimeMs;
                if (_configChanged)
                {
                    // The composition is rebuilt from the configuration at every wake: wake again at once.
                    return Esp32Power.MinSleepMs;
                }

                if (node.RebootRequested || wait >= NodeSettings.DeepSleepThresholdMs || _root.Clock.UptimeMs - awakeSince >= MaxAwakeMs)
                {
                    return wait < Esp32Power.MinSleepMs ? Esp32Power.MinSleepMs : wait;
                }

                _watchdog.CheckIn("wait");
                if (wait > 0)
                {
                    Thread.Sleep((int)wait);
                }
            }
        }

        /// <summary>The technician console on the J3 header (COM3), until "exit"-style silence of ten minutes.</summary>
        private static void RunConsole(string resetLine, string wakeLine)
        {
            _root.ReleaseCom3();
            SerialConsolePort port = new SerialConsolePort(_root.Board);
            port.WriteLine("Gateway console. " + resetLine);
            if (_root.SendRefusal.Length != 0)
            {
                port.WriteLine("NOT SENDING: " + _root.SendRefusal);
            }

            ConsoleInterpreter console = new ConsoleInterpreter(port, _root.Config, _root.Provisioning, new GatewayConsoleServices(new DevicePlatform(_root, port, resetLine, wakeLine)));
            long idleSince = _root.Clock.UptimeMs;
            while (_root.Clock.UptimeMs - idleSince < ConsoleIdleMs)
            {
                _watchdog.CheckIn("console");
                if (console.PollOnce(1000))
                {
                    idleSince = _root.Clock.UptimeMs;
                }
            }

            port.WriteLine("console closed; the gateway reboots to apply what was set");
            _watchdog.Stop();
            _root.Suspend(0);
            _root.Reset.Write(ResetReason.Planned, "console closed", _root.Node.BootCounter, _root.Clock.WallTimeMs, 0);
            Esp32Power.Reboot();
        }

        private static void OnConfigChanged(GatewayConfig active, bool isTrial)
        {
            _configChanged = true;
        }

        private static void OnWatchdogExpired(string stage, long silentMs)
        {
            Debug.WriteLine("WATCHDOG: silent " + silentMs.ToString() + " ms in " + stage);
            _root.Reset.Write(ResetReason.Watchdog, stage, _root.Node == null ? 0 : _root.Node.BootCounter, 0, silentMs);
        }
    }
}
