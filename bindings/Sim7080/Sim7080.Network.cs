namespace Gateway.Bindings.Sim7080
{
    public sealed partial class Sim7080
    {
        /// <summary>"AT" attempts before the modem counts as not answering (it may need a few to lock its autobaud).</summary>
        public const int SyncAttempts = 4;

        /// <summary>Timeout of each "AT" of the handshake, ms.</summary>
        public const int SyncTimeoutMs = 1000;

        /// <summary>AT+CFUN=0/1 switch the radio; the manual allows up to 10 s.</summary>
        public const int RadioSwitchTimeoutMs = 10000;

        /// <summary>Time the SIM may stay busy after boot before it counts as missing, ms.</summary>
        public const int SimReadyTimeoutMs = 5000;

        /// <summary>
        /// Brings the modem up to an MQTT session, from whatever stage it is in: handshake (power on or power cycle
        /// through PWRKEY if it does not answer), SIM, radio mode and APN, attach, PDP context, MQTT connect and
        /// subscriptions. Each stage is skipped when already done; each is bounded by its timeout from the settings.
        /// </summary>
        public Sim7080Status Connect()
        {
            Sim7080Status s = Bring();
            LastFailure = s;
            return s;
        }

        private Sim7080Status Bring()
        {
            Sim7080Status s = EnsureAnswering();
            if (s != Sim7080Status.Ok)
            {
                return s;
            }

            if (!_radioConfigured && !_existingChecked)
            {
                s = AdoptRunningModem();
                if (s != Sim7080Status.Ok)
                {
                    return s;
                }
            }

            if (!_radioConfigured)
            {
                s = ConfigureRadio();
                if (s != Sim7080Status.Ok)
                {
                    return s;
                }
            }

            if (!IsRegistered)
            {
                s = WaitAttached();
                if (s != Sim7080Status.Ok)
                {
                    return s;
                }
            }

            if (!_pdpActive)
            {
                s = ActivatePdp();
                if (s != Sim7080Status.Ok)
                {
                    return s;
                }
            }

            if (!_mqttConnected || !_subscribed)
            {
                s = ConnectMqtt();
            }

            return s;
        }

        /// <summary>
        /// Makes sure the modem answers "AT" with echo off and verbose errors (ATE0, AT+CMEE=2); powers it on (at once
        /// when it was switched off on purpose) or power-cycles it through PWRKEY when it does not answer.
        /// </summary>
        public Sim7080Status EnsureAnswering()
        {
            if (_poweredDown && _powerKey != null)
            {
                // Switched off on purpose (a long deep sleep): no "AT" can be answered before PWRKEY.
                Sim7080Status on = PowerOn();
                if (on != Sim7080Status.Ok)
                {
                    return on;
                }
            }
            else if (!Sync())
            {
                Sim7080Status cycled = PowerCycle();
                if (cycled != Sim7080Status.Ok)
                {
                    return cycled;
                }
            }

            if (_echoOffAndVerbose)
            {
                return Sim7080Status.Ok;
            }

            _cmd.Begin("ATE0");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s != Sim7080Status.Ok)
            {
                return s;
            }

            _cmd.Begin("AT+CMEE=2");
            s = Execute(_settings.CommandTimeoutMs);
            _echoOffAndVerbose = s == Sim7080Status.Ok;
            return s;
        }

        /// <summary>Sends "AT" up to <see cref="SyncAttempts"/> times; true when one was answered OK.</summary>
        private bool Sync()
        {
            for (int i = 0; i < SyncAttempts; i++)
            {
                _cmd.Begin("AT");
                if (Execute(SyncTimeoutMs) == Sim7080Status.Ok)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// At the first contact of this driver (the host just woke from deep sleep, the modem stayed on): when the modem
        /// is already registered with its data context up, it was configured by an earlier wake and is adopted as it
        /// is, instead of switching the radio off and attaching again (an attach costs 10-60 s at ~100 mA). A changed
        /// APN or mode then applies after <see cref="Reconfigure"/> or the modem's next power-up.
        /// </summary>
        private Sim7080Status AdoptRunningModem()
        {
            _existingChecked = true;
            _cmd.Begin("AT+CEREG?");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Timeout)
            {
                return s;
            }

            if (!IsRegistered)
            {
                return Sim7080Status.Ok;
            }

            _cmd.Begin("AT+CNACT?");
            s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Timeout)
            {
                return s;
            }

            _radioConfigured = _pdpActive;
            return Sim7080Status.Ok;
        }

        /// <summary>Makes the next <see cref="Connect"/> apply the radio settings (mode, APN) again, re-attaching.</summary>
        public void Reconfigure()
        {
            _radioConfigured = false;
            _existingChecked = true;
            _registration = -1;
            _pdpActive = false;
            MarkSessionLost();
        }

        /// <summary>
        /// SIM check, then with the radio off (AT+CFUN=0): LTE only (AT+CNMP=38), Cat-M / NB-IoT (AT+CMNB), the APN of
        /// the default bearer (AT+CGDCONT=1), network time (AT+CLTS=1); radio on (AT+CFUN=1).
        /// </summary>
        private Sim7080Status ConfigureRadio()
        {
            Sim7080Status s = CheckSim();
            if (s != Sim7080Status.Ok)
            {
                return s;
            }

            _cmd.Begin("AT+CFUN=0");
            s = Execute(RadioSwitchTimeoutMs);
            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CNMP=38");
                s = Execute(_settings.CommandTimeoutMs);
            }

            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CMNB=");
                _cmd.AppendInt((int)_settings.NetworkMode);
                s = Execute(_settings.CommandTimeoutMs);
            }

            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CGDCONT=1,\"IP\",");
                _cmd.AppendQuoted(_settings.Apn);
                s = Execute(_settings.CommandTimeoutMs);
            }

            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CLTS=1");
                s = Execute(_settings.CommandTimeoutMs);
            }

            // The radio goes back on whatever happened above, so a failed step never leaves the modem deaf.
            _cmd.Begin("AT+CFUN=1");
            Sim7080Status on = Execute(RadioSwitchTimeoutMs);
            if (s == Sim7080Status.Ok)
            {
                s = on;
            }

            _radioConfigured = s == Sim7080Status.Ok;
            _registration = -1;
            return s;
        }

        private Sim7080Status CheckSim()
        {
            long deadline = Now + SimReadyTimeoutMs;
            while (true)
            {
                _simReady = false;
                _cmd.Begin("AT+CPIN?");
                Sim7080Status s = Execute(_settings.CommandTimeoutMs);
                if (s == Sim7080Status.Ok && _simReady)
                {
                    return Sim7080Status.Ok;
                }

                if (s == Sim7080Status.Timeout)
                {
                    return s;
                }

                // CME 14 "SIM busy" right after boot: ask again; anything else (10 not inserted, 11/12 locked, 13
                // failure) or a SIM still not ready at the deadline is no usable SIM.
                bool busy = s == Sim7080Status.Rejected && LastCmeError == 14;
                if (!busy || Now >= deadline)
                {
                    return Sim7080Status.NoSim;
                }

                Idle(500);
            }
        }

        /// <summary>Polls AT+CEREG? until registered (home or roaming), denied, or the attach deadline.</summary>
        private Sim7080Status WaitAttached()
        {
            long deadline = Now + _settings.AttachTimeoutMs;
            while (true)
            {
                _cmd.Begin("AT+CEREG?");
                Sim7080Status s = Execute(_settings.CommandTimeoutMs);
                if (s == Sim7080Status.Timeout)
                {
                    return s;
                }

                if (IsRegistered)
                {
                    return Sim7080Status.Ok;
                }

                if (_registration == 3)
                {
                    return Sim7080Status.RegistrationDenied;
                }

                long left = deadline - Now;
                if (left <= 0)
                {
                    return Sim7080Status.NoCoverage;
                }

                Idle(left < _settings.AttachPollMs ? left : _settings.AttachPollMs);
            }
        }

        /// <summary>
        /// AT+CNCFG=0,1,"apn","user","password",auth then AT+CNACT=0,1 and the wait for "+APP PDP: 0,ACTIVE" (AT+CNACT? is
        /// asked first: a context left active across the host's deep sleep is reused).
        /// </summary>
        private Sim7080Status ActivatePdp()
        {
            _cmd.Begin("AT+CNACT?");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Timeout)
            {
                return s;
            }

            if (_pdpActive)
            {
                return Sim7080Status.Ok;
            }

            _cmd.Begin("AT+CNCFG=0,1,");
            _cmd.AppendQuoted(_settings.Apn);
            bool credentials = _settings.ApnUser != null && _settings.ApnUser.Length > 0;
            if (credentials)
            {
                _cmd.Append(",");
                _cmd.AppendQuoted(_settings.ApnUser);
                _cmd.Append(",");
                _cmd.AppendQuoted(_settings.ApnPassword == null ? "" : _settings.ApnPassword);
                _cmd.Append(",3"); // PAP or CHAP, as the network asks
            }

            s = Execute(_settings.CommandTimeoutMs);
            if (s != Sim7080Status.Ok)
            {
                return s == Sim7080Status.Timeout ? s : Sim7080Status.NoDataConnection;
            }

            _cmd.Begin("AT+CNACT=0,1");
            s = Execute(_settings.CommandTimeoutMs);
            if (s != Sim7080Status.Ok)
            {
                // The modem may have lost its registration without telling (no +CEREG URCs are enabled): the next
                // Connect asks again (AT+CEREG?) instead of trusting the old answer and being refused for ever.
                _registration = -1;
                return s == Sim7080Status.Timeout ? s : Sim7080Status.NoDataConnection;
            }

            long deadline = Now + _settings.PdpTimeoutMs;
            for (int lines = 0; lines < MaxLinesPerWait && !_pdpActive; lines++)
            {
                if (ReadOne(deadline, false) == TimedOut)
                {
                    break;
                }
            }

            return _pdpActive ? Sim7080Status.Ok : Sim7080Status.NoDataConnection;
        }

        /// <summary>Reads AT+CSQ, AT+CPSI? and AT+CEREG? into <paramref name="signal"/> (for commissioning and health).</summary>
        public Sim7080Status ReadSignal(Sim7080Signal signal)
        {
            _lastSignal.CsqRssi = 99;
            _lastSignal.Mode = CellSystemMode.Unknown;
            _lastSignal.HasCellMetrics = false;
            _cmd.Begin("AT+CSQ");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CPSI?");
                s = Execute(_settings.CommandTimeoutMs);
            }

            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CEREG?");
                s = Execute(_settings.CommandTimeoutMs);
            }

            signal.CsqRssi = _lastSignal.CsqRssi;
            signal.Mode = _lastSignal.Mode;
            signal.HasCellMetrics = _lastSignal.HasCellMetrics;
            signal.RsrpDbm = _lastSignal.RsrpDbm;
            signal.RsrqDb = _lastSignal.RsrqDb;
            signal.SinrDb = _lastSignal.SinrDb;
            signal.Registration = _registration;
            return s;
        }

        /// <summary>Earliest time (2024-01-01) a modem clock may show to count as set by the network.</summary>
        public const long EarliestPlausibleTimeMs = 1704067200000L;

        /// <summary>
        /// Reads the modem's clock (AT+CCLK?), which the network sets after attach (AT+CLTS=1). False when unanswered,
        /// unparsable, or still the modem's default date (never set).
        /// </summary>
        public bool TryReadNetworkTime(out long unixMs)
        {
            _networkTimeMs = 0;
            _cmd.Begin("AT+CCLK?");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            unixMs = _networkTimeMs;
            return s == Sim7080Status.Ok && unixMs >= EarliestPlausibleTimeMs;
        }
    }
}
