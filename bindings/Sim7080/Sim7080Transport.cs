using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// MQTT over LTE-M / NB-IoT as an <see cref="IUplinkTransport"/> ("mqtt-lte") through the <see cref="Sim7080"/>
    /// modem's own MQTT client: connects lazily in <see cref="EnsureReady"/>, publishes every payload with QoS 1 to
    /// gw/{id}/up (Sent = the broker's PUBACK), and passes ack/down messages up with channel MqttTopics.AckChannel or
    /// MqttTopics.DownChannel. A failed connection attempt is not repeated before a backoff has passed, so a gateway
    /// without coverage does not spend its battery on attach attempts every wake.
    /// </summary>
    public sealed class Sim7080Transport : IUplinkTransport, IUrgentReadiness, IPersistentBackoff
    {
        /// <summary>Wait after a failed bring-up before the next attempt, ms (doubles up to <see cref="MaxRetryMs"/>).</summary>
        public const int FirstRetryMs = 60000;

        /// <summary>Longest wait between bring-up attempts, ms.</summary>
        public const int MaxRetryMs = 1800000;

        /// <summary>
        /// Longest wait before the next bring-up attempt while an alarm is waiting, ms. An attempt without coverage costs
        /// up to the attach deadline (180 s) of radio time, so even alarms do not retry faster than this; the routine
        /// backoff (up to <see cref="MaxRetryMs"/>) would make an alarm raised in a long outage wait half an hour after
        /// coverage returns.
        /// </summary>
        public const int AlarmRetryMs = 600000;

        /// <summary>Wait after a publish the broker or modem refused while the session stayed up, ms.</summary>
        public const int RefusedRetryMs = 5000;

        private readonly Sim7080 _driver;
        private readonly IClock _clock;
        private long _nextAttemptUptimeMs;
        private int _retryMs = FirstRetryMs;

        /// <summary>Wraps a driver.</summary>
        public Sim7080Transport(Sim7080 driver, IClock clock)
        {
            _driver = driver;
            _clock = clock;
        }

        /// <summary>The driver (signal, time, counters).</summary>
        public Sim7080 Driver
        {
            get { return _driver; }
        }

        /// <summary>The status of the last failed bring-up or send, <see cref="Sim7080Status.Ok"/> when the last one worked.</summary>
        public Sim7080Status LastStatus;

        /// <summary>
        /// Where to put the network's time (AT+CCLK?, set by the network through AT+CLTS=1) after a bring-up while the
        /// clock's quality is still Unknown; null to leave the clock alone. Never overrides a known time: a time-sync
        /// downlink, GNSS or a technician stay in charge once they have set it.
        /// </summary>
        public IWallClockSetter ClockSetter;

        /// <summary>Times the clock was set from the network's time.</summary>
        public int ClockSets;

        /// <inheritdoc />
        public string Name
        {
            get { return "mqtt-lte"; }
        }

        /// <inheritdoc />
        public bool IsAvailable
        {
            get { return _driver.IsMqttConnected; }
        }

        /// <inheritdoc />
        public int MaxPayloadNow
        {
            get { return _driver.IsMqttConnected ? _driver.Settings.MaxPublishBytes : 0; }
        }

        /// <summary>Uptime (ms) before which <see cref="EnsureReady"/> does not try again after a failure; 0 when free.</summary>
        public long NextAttemptUptimeMs
        {
            get { return _nextAttemptUptimeMs; }
        }

        /// <inheritdoc />
        public bool EnsureReady()
        {
            if (_driver.IsMqttConnected)
            {
                return true;
            }

            if (_clock.UptimeMs < _nextAttemptUptimeMs)
            {
                return false;
            }

            LastStatus = _driver.Connect();
            if (LastStatus == Sim7080Status.Ok)
            {
                _retryMs = FirstRetryMs;
                _nextAttemptUptimeMs = 0;
                long networkMs;
                if (ClockSetter != null && _clock.Quality == ClockQuality.Unknown && _driver.TryReadNetworkTime(out networkMs))
                {
                    ClockSetter.SetWallTime(networkMs, ClockQuality.Network);
                    ClockSets++;
                }

                return true;
            }

            _nextAttemptUptimeMs = _clock.UptimeMs + _retryMs;
            _retryMs = _retryMs >= MaxRetryMs / 2 ? MaxRetryMs : _retryMs * 2;
            return false;
        }

        /// <summary>
        /// Sends a commissioning record to gw/{id}/commission over the modem's MQTT session (brought up first when
        /// needed); false with the reason.
        /// </summary>
        public bool PublishCommissioning(byte[] record, int length, out string detail)
        {
            if (!EnsureReady())
            {
                detail = "modem not ready (status " + ((int)LastStatus).ToString() + ")";
                return false;
            }

            Sim7080Status s = _driver.PublishCommissioning(record, 0, length);
            LastStatus = s;
            detail = s == Sim7080Status.Ok ? "published on " + MqttTopics.Commission(_driver.Settings.DeviceId) : "publish failed (status " + ((int)s).ToString() + ")";
            return s == Sim7080Status.Ok;
        }

        /// <summary>
        /// Bytes written by <see cref="SaveBackoff"/>: next attempt (Unix ms, int64 LE, 0 = free), the next wait (ms,
        /// uint32 LE) and flags (bit 0: the modem was switched off for the sleep).
        /// </summary>
        public const int BackoffStateSize = 13;

        /// <summary>The state's size before the flags byte (still read).</summary>
        public const int BackoffStateSizeWithoutFlags = 12;

        private const byte ModemOffFlag = 1;

        /// <summary>
        /// Writes the bring-up backoff for keeping across a deep sleep (which clears RAM): without it a gateway out of
        /// coverage would spend a full attach deadline at every wake. Returns <see cref="BackoffStateSize"/>.
        /// </summary>
        public int SaveBackoff(byte[] buffer, int offset)
        {
            long wait = _nextAttemptUptimeMs - _clock.UptimeMs;
            LittleEndian.WriteInt64(buffer, offset, wait > 0 ? _clock.WallTimeMs + wait : 0);
            LittleEndian.WriteUInt32(buffer, offset + 8, (uint)_retryMs);
            buffer[offset + 12] = _driver.IsPoweredDown ? ModemOffFlag : (byte)0;
            return BackoffStateSize;
        }

        /// <summary>Restores what <see cref="SaveBackoff"/> wrote; false (and nothing changed) when it is not valid.</summary>
        public bool RestoreBackoff(byte[] buffer, int offset, int count)
        {
            if (count != BackoffStateSize && count != BackoffStateSizeWithoutFlags)
            {
                return false;
            }

            byte flags = count == BackoffStateSize ? buffer[offset + 12] : (byte)0;
            if ((flags & ~ModemOffFlag) != 0)
            {
                return false;
            }

            long nextWallMs = LittleEndian.ReadInt64(buffer, offset);
            uint retry = LittleEndian.ReadUInt32(buffer, offset + 8);
            if (retry < FirstRetryMs || retry > MaxRetryMs || nextWallMs < 0)
            {
                return false;
            }

            _retryMs = (int)retry;
            long wait = nextWallMs == 0 ? 0 : nextWallMs - _clock.WallTimeMs;
            if (wait > MaxRetryMs)
            {
                wait = MaxRetryMs; // the wall clock was set backwards meanwhile: never wait longer than the cap
            }

            _nextAttemptUptimeMs = wait > 0 ? _clock.UptimeMs + wait : 0;
            if ((flags & ModemOffFlag) != 0)
            {
                _driver.AssumePoweredDown();
            }

            return true;
        }

        /// <summary>
        /// Before the host's deep sleep of <paramref name="sleepMs"/>: closes the MQTT session, so downlinks wait at the
        /// broker rather than arrive as URCs nobody reads (take pending downlinks first). A sleep of at least
        /// <see cref="Sim7080Settings.PowerDownSleepMs"/> also switches the modem off (AT+CPOWD=1): registered and idle
        /// it would draw milliamps all through the sleep, while the next bring-up's attach costs less than two minutes of
        /// that. A shorter sleep (observing or rapid cadence) keeps it registered, ready for the next send and for alarms.
        /// </summary>
        public void Suspend(long sleepMs)
        {
            if (_driver.IsPoweredDown)
            {
                return;
            }

            int powerDownMs = _driver.Settings.PowerDownSleepMs;
            if (powerDownMs > 0 && sleepMs >= powerDownMs)
            {
                // A modem that did not confirm ("NORMAL POWER DOWN") was already off or is hung: either way the next
                // bring-up starts with PWRKEY, and a power cycle if the press found it on.
                _driver.PowerDown();
                _driver.AssumePoweredDown();
                return;
            }

            _driver.DisconnectMqtt();
        }

        /// <summary>An alarm is waiting: the next bring-up attempt comes at most <see cref="AlarmRetryMs"/> from now (never later than already planned).</summary>
        public void AlarmWaiting()
        {
            long now = _clock.UptimeMs;
            if (_nextAttemptUptimeMs > now + AlarmRetryMs)
            {
                _nextAttemptUptimeMs = now + AlarmRetryMs;
            }
        }

        /// <summary>Lets the next <see cref="EnsureReady"/> try at once (a technician on site, a new configuration).</summary>
        public void RetryNow()
        {
            _nextAttemptUptimeMs = 0;
            _retryMs = FirstRetryMs;
        }

        /// <inheritdoc />
        public UplinkResult Send(byte[] data, int offset, int count, PayloadClass payloadClass)
        {
            if (count > _driver.Settings.MaxPublishBytes)
            {
                return new UplinkResult(UplinkStatus.TooLarge, 0);
            }

            if (!_driver.IsMqttConnected)
            {
                return new UplinkResult(UplinkStatus.Unavailable, 0);
            }

            Sim7080Status s = _driver.Publish(data, offset, count);
            LastStatus = s;
            switch (s)
            {
                case Sim7080Status.Ok:
                    return new UplinkResult(UplinkStatus.Sent, 0);
                case Sim7080Status.PayloadTooLarge:
                    return new UplinkResult(UplinkStatus.TooLarge, 0);
                case Sim7080Status.Rejected:
                    return new UplinkResult(UplinkStatus.RetryLater, _clock.WallTimeMs + RefusedRetryMs);
                case Sim7080Status.NotConnected:
                    return new UplinkResult(UplinkStatus.Unavailable, 0);
                default:
                    // No answer (prompt or PUBACK missing): the modem may be hung; the next EnsureReady checks it.
                    return new UplinkResult(UplinkStatus.Failed, 0);
            }
        }

        /// <inheritdoc />
        public int PollDownlink(byte[] buffer, int offset, int capacity, out int channel)
        {
            if (_driver.NextDownlinkLength < 0)
            {
                _driver.Service(0);
            }

            int count;
            int next = _driver.NextDownlinkLength;
            if (next >= 0 && next <= capacity && _driver.TryTakeDownlink(buffer, offset, capacity, out channel, out count))
            {
                return count;
            }

            channel = 0;
            return -1;
        }
    }
}
