namespace Gateway.Bindings.Sim7080
{
    public sealed partial class Sim7080
    {
        /// <summary>PWRKEY hold that switches the modem on (hardware design: at least 1 s), ms.</summary>
        public const int PowerOnHoldMs = 1100;

        /// <summary>PWRKEY hold that switches the modem off (hardware design: at least 1.2 s), ms.</summary>
        public const int PowerOffHoldMs = 1300;

        /// <summary>Wait for "NORMAL POWER DOWN" after AT+CPOWD=1 or a PWRKEY off press, ms.</summary>
        public const int PowerDownTimeoutMs = 5000;

        /// <summary>Rest between power-off and power-on in a power cycle (let the supply settle), ms.</summary>
        public const int PowerCycleRestMs = 2000;

        /// <summary>
        /// Switches on a modem this driver or an earlier wake switched off (<see cref="PowerDown"/>, or
        /// <see cref="AssumePoweredDown"/> after a deep sleep): one PWRKEY press, the wait for "RDY" (or, in autobaud,
        /// for the first answered "AT"). Falls back to a <see cref="PowerCycle"/> when the modem does not answer (it was
        /// on after all, and the press switched it off).
        /// </summary>
        public Sim7080Status PowerOn()
        {
            if (_powerKey == null)
            {
                return Sim7080Status.Dead;
            }

            PowerOns++;
            _bootSeen = false;
            _powerKey.Press(PowerOnHoldMs);
            WaitPowerEvent(PowerDownTimeoutMs);
            ForgetModemState();
            if (!_poweredDown)
            {
                // Not "NORMAL POWER DOWN": it booted (RDY) or is booting silently in autobaud.
                if (Sync())
                {
                    return Sim7080Status.Ok;
                }
            }

            _poweredDown = false;
            return PowerCycle();
        }

        /// <summary>
        /// The modem was switched off before the host's deep sleep (the transport keeps that across the sleep): the next
        /// <see cref="Connect"/> presses PWRKEY at once instead of first waiting for "AT" answers that cannot come.
        /// </summary>
        public void AssumePoweredDown()
        {
            ForgetModemState();
            _existingChecked = true;
            _poweredDown = true;
        }

        /// <summary>
        /// Power-cycles the modem through PWRKEY: a press that switches it off (or on, if it was off), a rest, a press
        /// that switches it on, the wait for "RDY", and the handshake. <see cref="Sim7080Status.Dead"/> when it still
        /// does not answer or no PWRKEY is wired.
        /// </summary>
        public Sim7080Status PowerCycle()
        {
            if (_powerKey == null)
            {
                return Sim7080Status.Dead;
            }

            PowerCycles++;
            _bootSeen = false;
            _poweredDown = false;
            _powerKey.Press(PowerOffHoldMs);
            WaitPowerEvent(PowerDownTimeoutMs);
            ForgetModemState();
            if (!_bootSeen && !_poweredDown && Sync())
            {
                // It was off and booted on this press without "RDY" (the modem prints RDY only at a fixed baud rate;
                // in autobaud it stays silent until the first "AT").
                return Sim7080Status.Ok;
            }

            if (!_bootSeen)
            {
                // It was on (said NORMAL POWER DOWN) or hung (said nothing and is off now): rest, then switch it on.
                Idle(PowerCycleRestMs);
                _powerKey.Press(PowerOnHoldMs);
                WaitPowerEvent(_settings.BootTimeoutMs);
                ForgetModemState();
            }

            return Sync() ? Sim7080Status.Ok : Sim7080Status.Dead;
        }

        /// <summary>Reads lines until "RDY" or "NORMAL POWER DOWN" arrives or the time is up.</summary>
        private void WaitPowerEvent(int timeoutMs)
        {
            long deadline = Now + timeoutMs;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                Sim7080LineKind kind = ReadOne(deadline, false);
                if (kind == TimedOut)
                {
                    return;
                }

                if (kind == Sim7080LineKind.Info
                    && (_response.Info == Sim7080Info.Ready || _response.Info == Sim7080Info.PowerDown))
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Closes the MQTT session if open and switches the modem off cleanly (AT+CPOWD=1, then "NORMAL POWER DOWN").
        /// </summary>
        public Sim7080Status PowerDown()
        {
            if (_mqttConnected)
            {
                _cmd.Begin("AT+SMDISC");
                Execute(_settings.CommandTimeoutMs);
                _mqttConnected = false;
                _subscribed = false;
            }

            _poweredDown = false;
            _cmd.Begin("AT+CPOWD=1");
            SendCommand();
            WaitPowerEvent(PowerDownTimeoutMs);
            if (_poweredDown)
            {
                return Sim7080Status.Ok;
            }

            CommandTimeouts++;
            return Sim7080Status.Timeout;
        }

        /// <summary>True after "NORMAL POWER DOWN" until the next "RDY".</summary>
        public bool IsPoweredDown
        {
            get { return _poweredDown; }
        }
    }
}
