using Gateway.Core.Uplink;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>OTAA join with jittered retries, and the joined state across deep sleep.</summary>
    public sealed partial class Rak3172
    {
        /// <summary>PHY size of a LoRaWAN join request (MHDR 1, JoinEUI 8, DevEUI 8, DevNonce 2, MIC 4).</summary>
        public const int JoinRequestPhyBytes = 23;

        /// <summary>Join attempts made since creation (each one a join request on air).</summary>
        public int JoinAttemptsMade;

        /// <summary>
        /// Joins unless the module already holds a session (AT+NJS=1): the normal call on every wake.
        /// </summary>
        public Rak3172Status EnsureJoined()
        {
            if (!_joined)
            {
                Rak3172Status status = QueryJoined();
                if (status != Rak3172Status.Ok)
                {
                    return status;
                }
            }

            return _joined ? Rak3172Status.Ok : Join();
        }

        /// <summary>
        /// OTAA join: up to <see cref="Rak3172Settings.JoinAttempts"/> single-attempt AT+JOIN=1:0:8:1 commands, each
        /// waiting for +EVT:JOINED or +EVT:JOIN_FAILED_..., with a full-jitter exponential wait between attempts so a
        /// town's gateways do not rejoin in step after a network outage. Every join request is charged to the
        /// airtime ledger (at DR2, the longest frame a join may use under the dwell limit).
        /// </summary>
        public Rak3172Status Join()
        {
            _joinBackoff.Reset();
            for (int attempt = 0; attempt < _settings.JoinAttempts; attempt++)
            {
                if (attempt > 0)
                {
                    Idle(_joinBackoff.NextDelayMs());
                }

                long airtimeUs = As923.UplinkMicroseconds(2, JoinRequestPhyBytes - As923.LoRaWanOverheadBytes);
                if (_budget != null)
                {
                    SendPermission permission = _budget.CheckAirtime(airtimeUs, _clock.WallTimeMs);
                    if (!permission.Allowed)
                    {
                        LastRefusal = permission;
                        if (permission.EarliestMs == SendPermission.Never || permission.EarliestMs - _clock.WallTimeMs > _settings.JoinBackoffCapMs)
                        {
                            return Rak3172Status.BudgetExhausted;
                        }

                        Idle(permission.EarliestMs - _clock.WallTimeMs);
                    }
                }

                _cmd.Begin("AT+JOIN=1:0:8:1");
                Rak3172Status status = Execute(_settings.CommandTimeoutMs);
                if (status == Rak3172Status.Busy)
                {
                    continue;
                }

                if (status != Rak3172Status.Ok)
                {
                    return status;
                }

                JoinAttemptsMade++;
                if (_budget != null)
                {
                    _budget.Record(_clock.WallTimeMs, airtimeUs);
                }

                AtEvent result = WaitForEvent(AtEvent.Joined, AtEvent.JoinFailed, AtEvent.None, _settings.JoinEventTimeoutMs);
                if (result == AtEvent.Joined)
                {
                    _joinBackoff.Reset();
                    _dataRate = QueryNumber("DR");
                    return Rak3172Status.Ok;
                }
            }

            return Rak3172Status.JoinFailed;
        }
    }
}
