using Gateway.Core.Uplink;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>Uplinks, downlinks, link checks and network time.</summary>
    public sealed partial class Rak3172
    {
        private readonly byte[][] _downlinkData;
        private readonly int[] _downlinkPort = new int[DownlinkSlots];
        private readonly int[] _downlinkLength = new int[DownlinkSlots];
        private int _downlinkHead;
        private int _downlinkCount;

        /// <summary>Downlinks lost because <see cref="DownlinkSlots"/> were full and not taken.</summary>
        public int DownlinksDropped;

        /// <summary>True once a +EVT:LINKCHECK arrived; its values are in the LinkCheck fields.</summary>
        public bool HasLinkCheck;

        /// <summary>Last link check: 0 when the network answered.</summary>
        public int LinkCheckResult;

        /// <summary>Last link check: demodulation margin, dB above the demodulation floor.</summary>
        public int LinkCheckMarginDb;

        /// <summary>Last link check: gateways that heard the uplink.</summary>
        public int LinkCheckGateways;

        /// <summary>RSSI of the last downlink or link check answer, dBm.</summary>
        public int LastRssiDbm;

        /// <summary>SNR of the last downlink or link check answer, dB.</summary>
        public int LastSnrDb;

        /// <summary>Time on air of the last uplink sent, microseconds.</summary>
        public long LastAirtimeUs;

        /// <summary>Length in bytes of the oldest queued downlink, -1 when none is queued.</summary>
        public int NextDownlinkLength
        {
            get { return _downlinkCount == 0 ? -1 : _downlinkLength[_downlinkHead]; }
        }

        /// <summary>Downlinks waiting to be taken.</summary>
        public int DownlinkCount
        {
            get { return _downlinkCount; }
        }

        /// <summary>
        /// Sends one uplink on <paramref name="port"/> (1..223): checks the payload against the current data rate's
        /// dwell-limited maximum and the airtime ledger, sets confirmation mode if it differs, issues
        /// AT+SEND=port:hex and waits for +EVT:TX_DONE (unconfirmed) or +EVT:SEND_CONFIRMED_OK/FAILED (confirmed).
        /// Downlinks that arrive in the receive windows are queued for <see cref="TryTakeDownlink"/>.
        /// </summary>
        public Rak3172Status Send(int port, byte[] data, int offset, int count, bool confirmed)
        {
            if (port < 1 || port > 223 || data == null || offset < 0 || count < 0 || offset > data.Length - count)
            {
                return Rak3172Status.InvalidArgument;
            }

            if (!_joined)
            {
                return Rak3172Status.NotJoined;
            }

            if (_dataRate < 0)
            {
                _dataRate = QueryNumber("DR");
            }

            if (count > MaxPayloadBytes)
            {
                return Rak3172Status.PayloadTooLarge;
            }

            long airtimeUs = As923.UplinkMicroseconds(_dataRate, count);
            if (_budget != null)
            {
                SendPermission permission = _budget.Check(_dataRate, count, _clock.WallTimeMs);
                if (!permission.Allowed)
                {
                    LastRefusal = permission;
                    return Rak3172Status.BudgetExhausted;
                }
            }

            int wantConfirm = confirmed ? 1 : 0;
            if (_confirmMode != wantConfirm)
            {
                Rak3172Status cfm = SetNumber("CFM", wantConfirm);
                if (cfm != Rak3172Status.Ok)
                {
                    return cfm;
                }

                _confirmMode = wantConfirm;
            }

            _cmd.Begin("AT+SEND=");
            _cmd.AppendInt(port);
            _cmd.Append(":");
            _cmd.AppendHex(data, offset, count);
            Rak3172Status status = Execute(_settings.CommandTimeoutMs);
            if (status == Rak3172Status.NotJoined)
            {
                _joined = false;
            }

            if (status != Rak3172Status.Ok)
            {
                return status;
            }

            LastAirtimeUs = airtimeUs;
            if (_budget != null)
            {
                _budget.Record(_clock.WallTimeMs, airtimeUs);
            }

            AtEvent result = confirmed
                ? WaitForEvent(AtEvent.SendConfirmedOk, AtEvent.SendConfirmedFailed, AtEvent.None, _settings.SendEventTimeoutMs)
                : WaitForEvent(AtEvent.TxDone, AtEvent.None, AtEvent.None, _settings.SendEventTimeoutMs);

            if (_settings.AdaptiveDataRate)
            {
                int dr = QueryNumber("DR");
                if (dr >= 0)
                {
                    _dataRate = dr;
                }
            }

            if (result == AtEvent.None)
            {
                return Rak3172Status.Timeout;
            }

            return result == AtEvent.SendConfirmedFailed ? Rak3172Status.NotAcknowledged : Rak3172Status.Ok;
        }

        /// <summary>Asks for a LinkCheckReq on the next uplink (AT+LINKCHECK=1); the answer fills the LinkCheck fields.</summary>
        public Rak3172Status RequestLinkCheck()
        {
            HasLinkCheck = false;
            return SetNumber("LINKCHECK", 1);
        }

        /// <summary>Asks for a DeviceTimeReq on the next uplink (AT+TIMEREQ=1); see <see cref="NetworkTimeAnswered"/>.</summary>
        public Rak3172Status RequestNetworkTime()
        {
            _timeAnswered = false;
            return SetNumber("TIMEREQ", 1);
        }

        /// <summary>True once +EVT:TIMEREQ_OK arrived after <see cref="RequestNetworkTime"/> (the module then holds network time, AT+LTIME=?).</summary>
        public bool NetworkTimeAnswered
        {
            get { return _timeAnswered; }
        }

        /// <summary>Reads lines for <paramref name="ms"/> milliseconds, queuing any downlinks and events (e.g. class C).</summary>
        public void Poll(int ms)
        {
            Idle(ms);
        }

        /// <summary>
        /// Takes the oldest queued downlink into <paramref name="buffer"/> at <paramref name="offset"/>. Returns false
        /// when none is queued or the buffer is too small (the downlink then stays queued).
        /// </summary>
        public bool TryTakeDownlink(byte[] buffer, int offset, out int port, out int count)
        {
            port = 0;
            count = 0;
            if (_downlinkCount == 0)
            {
                return false;
            }

            int len = _downlinkLength[_downlinkHead];
            if (buffer == null || offset < 0 || offset > buffer.Length - len)
            {
                return false;
            }

            byte[] src = _downlinkData[_downlinkHead];
            for (int i = 0; i < len; i++)
            {
                buffer[offset + i] = src[i];
            }

            port = _downlinkPort[_downlinkHead];
            count = len;
            _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
            _downlinkCount--;
            return true;
        }

        private void KeepDownlink()
        {
            LastRssiDbm = _response.Rssi;
            LastSnrDb = _response.Snr;
            if (_response.PayloadLength <= 0 && _response.Port == 0)
            {
                return; // MAC-only downlink (e.g. an ACK or MAC commands): nothing for the application
            }

            if (_downlinkCount == DownlinkSlots)
            {
                _downlinkHead = (_downlinkHead + 1) % DownlinkSlots;
                _downlinkCount--;
                DownlinksDropped++;
            }

            int slot = (_downlinkHead + _downlinkCount) % DownlinkSlots;
            byte[] dst = _downlinkData[slot];
            for (int i = 0; i < _response.PayloadLength; i++)
            {
                dst[i] = _response.Payload[i];
            }

            _downlinkLength[slot] = _response.PayloadLength;
            _downlinkPort[slot] = _response.Port;
            _downlinkCount++;
        }

        private void KeepLinkCheck()
        {
            HasLinkCheck = true;
            LinkCheckResult = _response.LinkResult;
            LinkCheckMarginDb = _response.LinkMargin;
            LinkCheckGateways = _response.LinkGateways;
            LastRssiDbm = _response.Rssi;
            LastSnrDb = _response.Snr;
        }
    }
}
