using Gateway.Core.Codec;

namespace Gateway.Bindings.Sim7080
{
    public sealed partial class Sim7080
    {
        /// <summary>QoS of every publish and subscription (MqttTopics.Qos).</summary>
        private const int Qos = 1;

        private readonly byte[][] _downlinkData;

        /// <summary>True once this driver configured the modem's MQTT client and opened the session itself.</summary>
        private bool _sessionConfigured;
        private readonly int[] _downlinkLength = new int[DownlinkSlots];
        private readonly byte[] _scratch = new byte[MaxDownlinkBytes];
        private readonly int[] _downlinkChannel = new int[DownlinkSlots];
        private int _downlinkHead;
        private int _downlinkCount;

        /// <summary>Downlinks lost because <see cref="DownlinkSlots"/> were full.</summary>
        public int DownlinksDropped;

        /// <summary>+SMSUB messages refused: unknown topic, bad hex (odd count, a non-hex digit), or longer than <see cref="MaxDownlinkBytes"/>.</summary>
        public int DownlinksRefused;

        /// <summary>
        /// +SMSUB messages dropped because they came on the pair of topics the session did not subscribe to (binary
        /// topics while on the hex twins or the reverse): a subscription left at the broker by an earlier persistent
        /// session whose modem had (or lacked) SUBHEX. Their content is the same as the current pair's, so they are not
        /// passed on: the gateway sees each downlink once.
        /// </summary>
        public int DownlinksOtherPair;

        /// <summary>Times the driver unsubscribed the pair it does not use (AT+SMUNSUB) after a SUBHEX change or a copy on it.</summary>
        public int OtherPairUnsubscribes;

        /// <summary>A message (or the fragment of a mangled one) came on the other pair: unsubscribe it at the next chance.</summary>
        private bool _otherPairSeen;

        /// <summary>True once a session of this driver subscribed a pair; <see cref="_pairWasHex"/> says which.</summary>
        private bool _pairKnown;
        private bool _pairWasHex;

        /// <summary>
        /// Configures the modem's MQTT client (AT+SMCONF URL, CLIENTID, USERNAME, PASSWORD, KEEPTIME, CLEANSS=0, QOS,
        /// SUBHEX=1), TLS when set (AT+CSSLCFG, AT+SMSSL), connects (AT+SMCONN) and subscribes to the ack and down
        /// topics (AT+SMSUB, QoS 1): the binary ones when the modem took SUBHEX, their hex twins when it refused it.
        /// A persistent session (CLEANSS 0) lets the broker keep QoS 1 downlinks while the gateway sleeps.
        /// </summary>
        private Sim7080Status ConnectMqtt()
        {
            if (!_mqttConnected)
            {
                _cmd.Begin("AT+SMSTATE?");
                Sim7080Status q = Execute(_settings.CommandTimeoutMs);
                if (q == Sim7080Status.Timeout)
                {
                    return q;
                }
            }

            if (_mqttConnected && !_sessionConfigured)
            {
                // A session this driver did not open (the host rebooted, the modem stayed on): its settings (SUBHEX,
                // keep-alive, identity) are unknown, so it is closed and opened again; CLEANSS 0 keeps queued messages.
                _cmd.Begin("AT+SMDISC");
                Sim7080Status d = Execute(_settings.CommandTimeoutMs);
                if (d == Sim7080Status.Timeout)
                {
                    return d;
                }

                _mqttConnected = false;
            }

            if (!_mqttConnected)
            {
                Sim7080Status c = ConfigureMqtt();
                if (c != Sim7080Status.Ok)
                {
                    return c;
                }

                _cmd.Begin("AT+SMCONN");
                c = Execute(_settings.MqttConnectTimeoutMs);
                if (c == Sim7080Status.Timeout)
                {
                    return c;
                }

                if (c != Sim7080Status.Ok)
                {
                    return Sim7080Status.BrokerUnreachable;
                }

                _mqttConnected = true;
                _sessionConfigured = true;
                _subscribed = false;
            }

            // With SUBHEX the modem hex-encodes any payload: the binary topics. Without it the URC carries the payload
            // as text, which binary downlinks do not survive: the cloud's hex twins, whose payload is hex text already.
            // Decided again at every session, so a modem whose firmware gained or lost SUBHEX is followed.
            bool twins = !_hexDownlinks;
            _subscribedHexTwins = twins;
            Sim7080Status s = Subscribe(twins ? _ackHexTopic : _ackTopic);
            if (s == Sim7080Status.Ok)
            {
                s = Subscribe(twins ? _downHexTopic : _downTopic);
            }

            if (s != Sim7080Status.Ok)
            {
                return s == Sim7080Status.Timeout ? s : Sim7080Status.BrokerUnreachable;
            }

            _subscribed = true;

            // The persistent session keeps the other pair's subscriptions of an earlier session whose modem had (or
            // lacked) SUBHEX: unsubscribed when this driver saw the pair change, or saw a copy arrive on the other pair.
            bool changed = _pairKnown && _pairWasHex != twins;
            _pairKnown = true;
            _pairWasHex = twins;
            if (changed || _otherPairSeen)
            {
                if (UnsubscribeOtherPair() == Sim7080Status.Timeout)
                {
                    return Sim7080Status.Timeout;
                }
            }

            return Sim7080Status.Ok;
        }

        /// <summary>
        /// AT+SMUNSUB of the pair this session does not use (the binary topics while on the hex twins, or the reverse),
        /// so the broker stops sending a second copy of every downlink: airtime, and under no SUBHEX a mangled binary
        /// copy whose CR/LF bytes cut it into stray lines on the UART. A refusal is ignored (the copies are still
        /// dropped by <see cref="TopicChannel"/>); tried again only when another copy arrives.
        /// </summary>
        private Sim7080Status UnsubscribeOtherPair()
        {
            _otherPairSeen = false;
            OtherPairUnsubscribes++;
            Sim7080Status s = Unsubscribe(_subscribedHexTwins ? _ackTopic : _ackHexTopic);
            if (s != Sim7080Status.Timeout)
            {
                s = Unsubscribe(_subscribedHexTwins ? _downTopic : _downHexTopic);
            }

            return s;
        }

        private Sim7080Status Unsubscribe(string topic)
        {
            _cmd.Begin("AT+SMUNSUB=");
            _cmd.AppendQuoted(topic);
            return Execute(_settings.CommandTimeoutMs);
        }

        private Sim7080Status ConfigureMqtt()
        {
            _cmd.Begin("AT+SMCONF=\"URL\",");
            _cmd.AppendQuoted(_settings.BrokerHost);
            _cmd.Append(",");
            _cmd.AppendInt(_settings.BrokerPort);
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Ok)
            {
                s = SetMqttText("CLIENTID", _settings.EffectiveClientId);
            }

            if (s == Sim7080Status.Ok && _settings.MqttUser != null && _settings.MqttUser.Length > 0)
            {
                s = SetMqttText("USERNAME", _settings.MqttUser);
                if (s == Sim7080Status.Ok)
                {
                    s = SetMqttText("PASSWORD", _settings.MqttPassword == null ? "" : _settings.MqttPassword);
                }
            }

            if (s == Sim7080Status.Ok)
            {
                s = SetMqttNumber("KEEPTIME", _settings.KeepAliveSeconds);
            }

            if (s == Sim7080Status.Ok)
            {
                s = SetMqttNumber("CLEANSS", 0);
            }

            if (s == Sim7080Status.Ok)
            {
                s = SetMqttNumber("QOS", Qos);
            }

            if (s != Sim7080Status.Ok)
            {
                return s;
            }

            // Hex-encoded subscription messages: binary acknowledgements and commands (0x00, bytes above 0x7F, quotes,
            // CR/LF) survive the text URC. A firmware without SUBHEX refuses it: the driver then subscribes to the
            // cloud's hex twins of the downlink topics, whose payload is hex text that the URC carries unharmed (README.md).
            s = SetMqttNumber("SUBHEX", 1);
            if (s == Sim7080Status.Timeout)
            {
                return s;
            }

            _hexDownlinks = s == Sim7080Status.Ok;

            // The pair this session will use is known now: a persistent session's queued messages may arrive as soon as
            // AT+SMCONN succeeds, before the AT+SMSUB below, and are sorted by it.
            _subscribedHexTwins = !_hexDownlinks;
            return _settings.UseTls ? ConfigureTls() : Sim7080Status.Ok;
        }

        /// <summary>
        /// TLS 1.2 with the CA certificate stored in the modem (written at provisioning with AT+CFSWFILE): context 0
        /// version, the certificate converted for use, and the MQTT client pointed at it.
        /// </summary>
        private Sim7080Status ConfigureTls()
        {
            _cmd.Begin("AT+CSSLCFG=\"SSLVERSION\",0,3");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+CSSLCFG=\"CONVERT\",2,");
                _cmd.AppendQuoted(_settings.CaFileName);
                s = Execute(_settings.CommandTimeoutMs);
            }

            if (s == Sim7080Status.Ok)
            {
                _cmd.Begin("AT+SMSSL=1,");
                _cmd.AppendQuoted(_settings.CaFileName);
                _cmd.Append(",\"\"");
                s = Execute(_settings.CommandTimeoutMs);
            }

            return s == Sim7080Status.Rejected ? Sim7080Status.BrokerUnreachable : s;
        }

        private Sim7080Status SetMqttText(string tag, string value)
        {
            _cmd.Begin("AT+SMCONF=\"");
            _cmd.Append(tag);
            _cmd.Append("\",");
            _cmd.AppendQuoted(value);
            return Execute(_settings.CommandTimeoutMs);
        }

        private Sim7080Status SetMqttNumber(string tag, int value)
        {
            _cmd.Begin("AT+SMCONF=\"");
            _cmd.Append(tag);
            _cmd.Append("\",");
            _cmd.AppendInt(value);
            return Execute(_settings.CommandTimeoutMs);
        }

        private Sim7080Status Subscribe(string topic)
        {
            _cmd.Begin("AT+SMSUB=");
            _cmd.AppendQuoted(topic);
            _cmd.Append(",");
            _cmd.AppendInt(Qos);
            return Execute(_settings.CommandTimeoutMs);
        }

        /// <summary>
        /// Publishes <paramref name="count"/> bytes to gw/{id}/up with QoS 1: AT+SMPUB="topic",len,1,0, the '&gt;'
        /// prompt, the raw bytes, and OK once the broker's PUBACK arrived. Binary-safe (the modem counts bytes).
        /// </summary>
        public Sim7080Status Publish(byte[] data, int offset, int count)
        {
            return PublishOn(_upTopic, data, offset, count);
        }

        /// <summary>Publishes a commissioning record to gw/{id}/commission, as <see cref="Publish"/> does a batch.</summary>
        public Sim7080Status PublishCommissioning(byte[] data, int offset, int count)
        {
            return PublishOn(_commissionTopic, data, offset, count);
        }

        private Sim7080Status PublishOn(string topic, byte[] data, int offset, int count)
        {
            if (count < 1 || count > _settings.MaxPublishBytes)
            {
                return Sim7080Status.PayloadTooLarge;
            }

            if (!_mqttConnected)
            {
                return Sim7080Status.NotConnected;
            }

            if (_otherPairSeen && _subscribed && UnsubscribeOtherPair() == Sim7080Status.Timeout)
            {
                MarkSessionLost();
                return Sim7080Status.Timeout;
            }

            _cmd.Begin("AT+SMPUB=");
            _cmd.AppendQuoted(topic);
            _cmd.Append(",");
            _cmd.AppendInt(count);
            _cmd.Append(",");
            _cmd.AppendInt(Qos);
            _cmd.Append(",0");
            SendCommand();

            long deadline = Now + _settings.PromptTimeoutMs;
            bool prompted = false;
            for (int lines = 0; lines < MaxLinesPerWait && !prompted; lines++)
            {
                Sim7080LineKind kind = ReadOne(deadline, true);
                if (kind == PromptSeen)
                {
                    prompted = true;
                }
                else if (kind == Sim7080LineKind.Error)
                {
                    LastCmeError = _response.CmeError;
                    return AfterRefusedPublish();
                }
                else if (kind == TimedOut)
                {
                    // No prompt: the modem may be hung; the next Connect checks it (and power-cycles it if so).
                    CommandTimeouts++;
                    MarkSessionLost();
                    return Sim7080Status.Timeout;
                }
            }

            if (!prompted)
            {
                return Sim7080Status.Timeout;
            }

            _line.Write(data, offset, count);
            Sim7080Status s = WaitFinal(_settings.PublishTimeoutMs);
            if (s == Sim7080Status.Timeout)
            {
                MarkSessionLost();
            }

            return s == Sim7080Status.Rejected ? AfterRefusedPublish() : s;
        }

        /// <summary>A refused publish: asks AT+SMSTATE? whether the session is gone (then NotConnected) or only this message failed.</summary>
        private Sim7080Status AfterRefusedPublish()
        {
            _cmd.Begin("AT+SMSTATE?");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            if (s == Sim7080Status.Timeout)
            {
                return s;
            }

            return _mqttConnected ? Sim7080Status.Rejected : Sim7080Status.NotConnected;
        }

        /// <summary>
        /// Closes the MQTT session (AT+SMDISC) but keeps registration and the data context: before the host's deep
        /// sleep, so the broker keeps acknowledgements and commands for the persistent session (CLEANSS 0) instead of
        /// handing them to a modem whose host is asleep and cannot read the URC. The next <see cref="Connect"/> opens it
        /// again (a few seconds) and the broker delivers what it kept.
        /// </summary>
        public Sim7080Status DisconnectMqtt()
        {
            if (!_mqttConnected)
            {
                return Sim7080Status.Ok;
            }

            _cmd.Begin("AT+SMDISC");
            Sim7080Status s = Execute(_settings.CommandTimeoutMs);
            _mqttConnected = false;
            _subscribed = false;
            return s;
        }

        /// <summary>Length of the oldest kept downlink, or -1 when none.</summary>
        public int NextDownlinkLength
        {
            get { return _downlinkCount == 0 ? -1 : _downlinkLength[_downlinkHead]; }
        }

    }
}
