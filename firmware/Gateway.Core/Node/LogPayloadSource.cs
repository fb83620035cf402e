using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Core.Node
{
    /// <summary>
    /// The uplink's view of the record log: builds batches of unacknowledged records for each priority class
    /// (alarms; the newest records; the backlog oldest first), remembers which ranges went out and are awaiting the
    /// cloud's acknowledgement, and sends them again when no acknowledgement comes in time. Fixed buffers; no
    /// allocation per batch.
    /// </summary>
    public sealed class LogPayloadSource : IPendingPayloadSource
    {
        /// <summary>Ranges remembered as awaiting acknowledgement (older ones are forgotten and so resent).</summary>
        public const int MaxInFlight = 64;

        private readonly RecordLog _log;
        private readonly BatchEncoder _encoder;
        private readonly IClock _clock;
        private readonly NodeSettings _settings;
        private readonly Reading[] _readings;
        private readonly uint[] _sequences;
        private readonly bool[] _alarmRecord;
        private readonly uint[] _flightFirst = new uint[MaxInFlight];
        private readonly uint[] _flightLast = new uint[MaxInFlight];
        private readonly long[] _flightAtMs = new long[MaxInFlight];
        private readonly long[] _flightTimeoutMs = new long[MaxInFlight];
        private readonly bool[] _flightAlarm = new bool[MaxInFlight];
        private readonly IRandomSource _random;
        private long _alarmTimeoutMs;
        private int _flightNext;
        private int _flightCount;

        /// <summary>Creates the source over a log and the device's batch encoder.</summary>
        public LogPayloadSource(RecordLog log, BatchEncoder encoder, IClock clock, NodeSettings settings, IRandomSource random)
        {
            _random = random;
            _alarmTimeoutMs = settings.AlarmAckTimeoutMs;
            _log = log;
            _encoder = encoder;
            _clock = clock;
            _settings = settings;
            _readings = new Reading[settings.MaxBatchRecords];
            _sequences = new uint[settings.MaxBatchRecords];
            _alarmRecord = new bool[settings.MaxBatchRecords];
        }

        /// <summary>Batches handed over since start-up.</summary>
        public int BatchesHandedOver { get; private set; }

        /// <summary>Records carried in those batches (resends included).</summary>
        public long RecordsHandedOver { get; private set; }

        /// <summary>True when the chain state moved since <see cref="ClearChainDirty"/> (persist it).</summary>
        public bool ChainDirty { get; private set; }

        /// <summary>Marks the chain state as persisted.</summary>
        public void ClearChainDirty()
        {
            ChainDirty = false;
        }

        /// <inheritdoc />
        public int Next(PayloadClass payloadClass, byte[] buffer, int offset, int maxBytes, out long token)
        {
            token = 0;
            int n = Collect(payloadClass, _readings.Length);
            if (n == 0)
            {
                return 0;
            }

            if (maxBytes > _settings.MaxBatchBytes)
            {
                maxBytes = _settings.MaxBatchBytes;
            }

            int tag = maxBytes <= _settings.SmallFrameBytes ? _settings.SmallFrameTagBytes : _settings.LargeFrameTagBytes;
            _encoder.NowMs = _clock.Quality == ClockQuality.Unknown ? 0 : _clock.WallTimeMs;
            uint oldest;
            _encoder.ReceiverInSync = _log.TryGetOldestUnacknowledged(out oldest) && oldest >= _sequences[0];
            int length = _encoder.Encode(_readings, _sequences, 0, n, maxBytes, tag, buffer, offset);
            if (length == 0)
            {
                return 0;
            }

            int taken = _encoder.Taken;
            token = ((long)_sequences[0] << 32) | _sequences[taken - 1];
            _lastTaken = taken;
            _lastHasAlarm = false;
            for (int i = 0; i < taken; i++)
            {
                _lastHasAlarm |= _alarmRecord[i];
            }

            return length;
        }

        private int _lastTaken;
        private bool _lastHasAlarm;

        /// <inheritdoc />
        public bool HasPending(PayloadClass payloadClass)
        {
            return Collect(payloadClass, 1) > 0; // one is enough to know
        }

        /// <inheritdoc />
        public void OnHandedOver(long token, PayloadClass payloadClass, string transportName)
        {
            _encoder.Commit();
            ChainDirty = true;
            BatchesHandedOver++;
            RecordsHandedOver += _lastTaken;
            _flightFirst[_flightNext] = (uint)((ulong)token >> 32);
            _flightLast[_flightNext] = (uint)(token & 0xFFFFFFFFL);
            _flightAtMs[_flightNext] = _clock.UptimeMs;
            // A batch that carries an alarm record waits on the alarm clock, whatever class it was sent as.
            bool alarm = payloadClass == PayloadClass.Alarm || _lastHasAlarm;
            _flightAlarm[_flightNext] = alarm;
            _flightTimeoutMs[_flightNext] = alarm ? NextAlarmTimeout() : _settings.AckTimeoutMs;
            _flightNext = (_flightNext + 1) % MaxInFlight;
            if (_flightCount < MaxInFlight)
            {
                _flightCount++;
            }
        }

        /// <summary>Forgets every range awaiting acknowledgement (they will be sent again).</summary>
        public void ForgetInFlight()
        {
            _flightCount = 0;
            _flightNext = 0;
        }

        /// <summary>
        /// The cloud acknowledged <paramref name="first"/>..<paramref name="last"/>: alarm batches inside it need no retry
        /// (and no wake for one), and the next alarm waits the first, shortest time again.
        /// </summary>
        public void OnAcknowledged(uint first, uint last)
        {
            _alarmTimeoutMs = _settings.AlarmAckTimeoutMs;
            for (int i = 0; i < _flightCount; i++)
            {
                if (_flightAlarm[i] && _flightFirst[i] >= first && _flightLast[i] <= last)
                {
                    _flightAlarm[i] = false;
                }
            }
        }

        /// <summary>
        /// The uptime (ms) at which the oldest alarm batch still awaiting its acknowledgement is due to be sent again,
        /// or <see cref="long.MaxValue"/> when none waits.
        /// </summary>
        public long NextAlarmRetryUptimeMs()
        {
            long next = long.MaxValue;
            long now = _clock.UptimeMs;
            for (int i = 0; i < _flightCount; i++)
            {
                long due = _flightAtMs[i] + _flightTimeoutMs[i];
                if (_flightAlarm[i] && due > now && due < next)
                {
                    next = due;
                }
            }

            return next;
        }

        /// <summary>
        /// True (once per batch) when an alarm batch's acknowledgement is overdue: it is to be sent again now. Reads no
        /// flash: only the batches in flight.
        /// </summary>
        public bool TakeAlarmRetryDue()
        {
            long now = _clock.UptimeMs;
            bool due = false;
            for (int i = 0; i < _flightCount; i++)
            {
                if (_flightAlarm[i] && now - _flightAtMs[i] >= _flightTimeoutMs[i])
                {
                    _flightAlarm[i] = false;
                    due = true;
                }
            }

            return due;
        }

        private long NextAlarmTimeout()
        {
            long timeout = _alarmTimeoutMs;
            long doubled = _alarmTimeoutMs * 2;
            _alarmTimeoutMs = doubled > _settings.AlarmAckTimeoutMaxMs ? _settings.AlarmAckTimeoutMaxMs : doubled;
            long jitter = timeout / 4;
            return timeout + (jitter > 0 ? (long)(_random.NextUInt32() % (uint)jitter) : 0);
        }

        /// <summary>True when some record is pending that has not gone out (or whose acknowledgement is overdue).</summary>
        public bool HasUnsent(bool alarmsOnly)
        {
            uint from;
            if (!_log.TryGetOldestUnacknowledged(out from))
            {
                return false;
            }

            LogRecord r;
            long now = _clock.UptimeMs;
            while (_log.TryReadNextUnacknowledged(from, alarmsOnly, out r))
            {
                if (!InFlight(r.Sequence, now))
                {
                    return true;
                }

                if (r.Sequence == uint.MaxValue)
                {
                    break;
                }

                from = r.Sequence + 1;
            }

            return false;
        }

        private int Collect(PayloadClass payloadClass, int limit)
        {
            uint from;
            if (!_log.TryGetOldestUnacknowledged(out from))
            {
                return 0;
            }

            if (payloadClass == PayloadClass.Newest)
            {
                uint newest;
                if (_log.TryGetNewestUnacknowledged(out newest))
                {
                    uint window = (uint)_settings.NewestWindow;
                    uint start = newest >= window ? newest - window + 1 : 0;
                    if (start > from)
                    {
                        from = start;
                    }
                }
            }

            bool alarmsOnly = payloadClass == PayloadClass.Alarm;
            long now = _clock.UptimeMs;
            int n = 0;
            LogRecord r;
            while (n < limit && _log.TryReadNextUnacknowledged(from, alarmsOnly, out r))
            {
                if (InFlight(r.Sequence, now))
                {
                    if (n > 0)
                    {
                        // A batch never spans a record still in flight: its range (first..last) is what waits for the
                        // acknowledgement, and a range over another batch's records would hold them back when that
                        // batch is due again (an alarm retried on its own clock behind a routine batch's 30 minutes).
                        break;
                    }
                }
                else
                {
                    EventCodes.ToBatchReading(ref r, ref _readings[n]);
                    _sequences[n] = r.Sequence;
                    _alarmRecord[n] = r.Kind == RecordKind.Alarm || (r.Kind == RecordKind.Event && EventCodes.IsAlarmKind(r.Code >> 8));
                    n++;
                }

                if (r.Sequence == uint.MaxValue)
                {
                    break;
                }

                from = r.Sequence + 1;
            }

            return n;
        }

        private bool InFlight(uint sequence, long nowMs)
        {
            for (int i = 0; i < _flightCount; i++)
            {
                if (sequence >= _flightFirst[i] && sequence <= _flightLast[i] && nowMs - _flightAtMs[i] < _flightTimeoutMs[i])
                {
                    return true;
                }
            }

            return false;
        }
    }
}
