namespace Gateway.Bindings.Rak3172
{
    /// <summary>Probing and configuration: AT, work mode, band, OTAA identity, class, ADR and data rate.</summary>
    public sealed partial class Rak3172
    {
        /// <summary>
        /// Wakes the module, checks every setting and writes only those that differ (LoRaWAN mode, AS923-1, OTAA,
        /// EUIs and key, class A, ADR, data rate), then reads the join state. Safe to call on every wake: a module
        /// already set up sees only queries, and its LoRaWAN session is kept.
        /// </summary>
        public Rak3172Status Initialize()
        {
            // RUI3 may drop the first bytes while it wakes from sleep on UART activity: probe up to three times.
            Rak3172Status status = Rak3172Status.Timeout;
            for (int i = 0; i < 3 && status != Rak3172Status.Ok; i++)
            {
                _cmd.Begin("AT");
                status = Execute(_settings.CommandTimeoutMs);
            }

            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            if (QueryNumber("NWM") != 1)
            {
                // Changing the work mode restarts the module (RUI3 manual, AT+NWM): wait for it to come back.
                status = SetNumber("NWM", 1);
                Idle(3000);
                if (status != Rak3172Status.Ok && QueryNumber("NWM") != 1)
                {
                    return Rak3172Status.Rejected;
                }
            }

            status = EnsureNumber("BAND", _settings.Band);
            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            status = EnsureNumber("NJM", 1);
            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            status = EnsureHex("DEVEUI", _settings.DevEui);
            if (status == Rak3172Status.Ok)
            {
                status = EnsureHex("APPEUI", _settings.JoinEui);
            }

            if (status == Rak3172Status.Ok)
            {
                status = EnsureHex("APPKEY", _settings.AppKey);
            }

            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            status = EnsureNumber("ADR", _settings.AdaptiveDataRate ? 1 : 0);
            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            // Retransmissions are decided by the uplink scheduler, which charges each one to the airtime ledger.
            EnsureNumber("RETY", 0);

            if (!_settings.AdaptiveDataRate)
            {
                status = EnsureNumber("DR", _settings.DataRate);
                if (status != Rak3172Status.Ok)
                {
                    return status;
                }
            }

            _dataRate = QueryNumber("DR");
            _confirmMode = QueryNumber("CFM");
            return QueryJoined();
        }

        /// <summary>Reads AT+NJS=? (joined state kept by the module across the host's deep sleep).</summary>
        public Rak3172Status QueryJoined()
        {
            int njs = QueryNumber("NJS");
            if (njs < 0)
            {
                return Rak3172Status.Timeout;
            }

            _joined = njs == 1;
            return Rak3172Status.Ok;
        }

        /// <summary>Sets the uplink data rate (AS923 with dwell limit: DR2..DR5) and turns ADR off.</summary>
        public Rak3172Status SetDataRate(int dataRate)
        {
            if (As923Payload(dataRate) <= 0)
            {
                return Rak3172Status.InvalidArgument;
            }

            Rak3172Status status = EnsureNumber("ADR", 0);
            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            status = SetNumber("DR", dataRate);
            if (status == Rak3172Status.Ok)
            {
                _dataRate = dataRate;
            }

            return status;
        }

        private int As923Payload(int dataRate)
        {
            return Gateway.Core.Uplink.As923.MaxApplicationPayload(dataRate, _settings.UplinkDwellLimit);
        }

        private Rak3172Status EnsureNumber(string name, int value)
        {
            if (QueryNumber(name) == value)
            {
                return Rak3172Status.Ok;
            }

            return SetNumber(name, value);
        }

        private Rak3172Status EnsureHex(string name, byte[] value)
        {
            _cmd.Begin("AT+");
            _cmd.Append(name);
            _cmd.Append("=?");
            Rak3172Status status = Execute(_settings.CommandTimeoutMs);
            if (status == Rak3172Status.Ok && _queryHexLength == value.Length)
            {
                bool same = true;
                for (int i = 0; i < value.Length; i++)
                {
                    same &= _queryHex[i] == value[i];
                }

                if (same)
                {
                    return Rak3172Status.Ok;
                }
            }

            _cmd.Begin("AT+");
            _cmd.Append(name);
            _cmd.Append("=");
            _cmd.AppendHex(value, 0, value.Length);
            return Execute(_settings.CommandTimeoutMs);
        }
    }
}
