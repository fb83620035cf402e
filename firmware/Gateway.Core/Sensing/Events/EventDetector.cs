namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// The site's event logic over filtered readings: the MLIT cadence ladder (observation-start level), the named
    /// river levels with hysteresis, rate-of-rise, snowfall-rate and tilt alarms, the pre-trigger ring and the daily
    /// alive. Decides which readings are recorded (handed to the <see cref="IReadingSink"/>) and how soon the next
    /// sample is due. Preallocated: no allocation per reading.
    /// </summary>
    public sealed partial class EventDetector
    {
        private const ReadingStatus Unusable = ReadingStatus.NoEcho | ReadingStatus.LoopFault | ReadingStatus.BusError | ReadingStatus.Stuck | ReadingStatus.SpikeRejected;
        private const int MaxChannels = 32;

        private readonly SensingSettings _settings;
        private readonly ISensingEventSink _events;
        private readonly IReadingSink _sink;
        private readonly PreTriggerRing _ring;
        private readonly RateAlarm _rise;
        private readonly RateAlarm _snowfall;
        private readonly RateAlarm[] _tiltHourly = new RateAlarm[2];
        private readonly RateAlarm[] _tiltDaily = new RateAlarm[2];
        private readonly bool[] _tiltChangeActive = new bool[2];
        private readonly long[] _nextRecordUptime = new long[MaxChannels];
        private readonly bool[] _recordedOnce = new bool[MaxChannels];
        private readonly ReadingStatus[] _lastRecordedStatus = new ReadingStatus[MaxChannels];
        private SensingEvent _event;
        private bool _commitRequested;
        private bool _observing;
        private long _rapidUntilUptime = long.MinValue;
        private bool _aliveSent;
        private long _lastAliveUptime;
        private bool _approaching;
        private long _lastUptime;

        /// <summary>
        /// Creates the detector for a site with <paramref name="channelCount"/> channels sampled each cycle
        /// (sizes the pre-trigger ring: PreTriggerMs / InternalIntervalMs per channel).
        /// </summary>
        public EventDetector(SensingSettings settings, ISensingEventSink events, IReadingSink sink, int channelCount)
        {
            _settings = settings;
            _events = events;
            _sink = sink;
            int perChannel = settings.PreTriggerMs / (settings.InternalIntervalMs < 1 ? 1 : settings.InternalIntervalMs) + 1;
            _ring = new PreTriggerRing(perChannel * (channelCount < 1 ? 1 : channelCount));
            _rise = new RateAlarm(600000, 10, settings.RateOfRiseMmPer10Min, false);
            _snowfall = new RateAlarm(3600000, 12, settings.SnowfallAlertMmPerHour, false);
            for (int a = 0; a < 2; a++)
            {
                _tiltHourly[a] = new RateAlarm(3600000, 12, settings.TiltRateAlarmMillidegreesPerHour, true);
                _tiltDaily[a] = new RateAlarm(86400000, 24, settings.TiltRateAlarmMillidegreesPerDay, true);
            }
        }

        /// <summary>
        /// How many times the quiet-mode recording and sampling intervals are stretched (1: as configured). Set by the
        /// autonomy governor as the battery falls; the observing and rapid cadences and the alarms are never stretched.
        /// </summary>
        public int QuietStretch = 1;

        /// <summary>The cadence step in force.</summary>
        public CadenceMode Mode { get; private set; }

        /// <summary>The highest named river level currently raised.</summary>
        public AlarmLevel AlarmLevel { get; private set; }

        /// <summary>The recording and sending interval of the current mode, milliseconds.</summary>
        public int RecordIntervalMs
        {
            get
            {
                if (Mode == CadenceMode.Rapid)
                {
                    return _settings.RapidIntervalMs;
                }

                return Mode == CadenceMode.Observing ? _settings.ObservingIntervalMs : _settings.QuietIntervalMs * Stretch;
            }
        }

        /// <summary>How long until the next sample should be taken, milliseconds (internal rate, faster near a level).</summary>
        public int NextSampleIntervalMs
        {
            get
            {
                int interval = Mode == CadenceMode.Quiet ? _settings.QuietSampleIntervalMs * Stretch : _settings.InternalIntervalMs;
                if (interval > RecordIntervalMs)
                {
                    interval = RecordIntervalMs;
                }

                if (_approaching && _settings.ApproachIntervalMs < interval)
                {
                    interval = _settings.ApproachIntervalMs;
                }

                // Land a sample exactly on the next record instant, so the recorded cadence has no drift.
                for (int i = 0; i < MaxChannels; i++)
                {
                    if (_recordedOnce[i])
                    {
                        long untilRecord = _nextRecordUptime[i] - _lastUptime;
                        if (untilRecord > 0 && untilRecord < interval)
                        {
                            interval = (int)untilRecord;
                        }
                    }
                }

                return interval;
            }
        }

        private int Stretch
        {
            get { return QuietStretch < 1 ? 1 : QuietStretch; }
        }

        /// <summary>The pre-trigger ring (read-only use: diagnostics and tests).</summary>
        public PreTriggerRing Ring
        {
            get { return _ring; }
        }

        /// <summary>The change of the level over the last 10 minutes at the last reading, millimetres.</summary>
        public int LastRisePer10Min
        {
            get { return _rise.LastChange; }
        }

        /// <summary>Readings handed to the sink since construction.</summary>
        public int Recorded { get; private set; }

        /// <summary>
        /// Runs the rules on one filtered reading taken at <paramref name="uptimeMs"/> (monotonic), emits events,
        /// commits the pre-trigger ring on a trigger, and records the reading when due. Returns true when recorded.
        /// </summary>
        public bool Process(ref Reading reading, long uptimeMs)
        {
            _commitRequested = false;
            _lastUptime = uptimeMs;
            if ((reading.Status & Unusable) == 0)
            {
                switch (reading.Channel)
                {
                    case ChannelId.WaterLevelMillimeters:
                        RiverRules(ref reading, uptimeMs);
                        break;
                    case ChannelId.SnowDepthMillimeters:
                        SnowRules(ref reading, uptimeMs);
                        break;
                    case ChannelId.TiltXMillidegrees:
                        SlopeRules(ref reading, uptimeMs, 0);
                        break;
                    case ChannelId.TiltYMillidegrees:
                        SlopeRules(ref reading, uptimeMs, 1);
                        break;
                }
            }

            UpdateMode(ref reading, uptimeMs);

            if (!_aliveSent || uptimeMs - _lastAliveUptime >= _settings.AliveIntervalMs)
            {
                _aliveSent = true;
                _lastAliveUptime = uptimeMs;
                Emit(EventKind.Alive, EventPriority.Routine, ref reading, AlarmLevel.None, 0, 0);
            }

            int ch = (int)reading.Channel % MaxChannels;
            // A 1 s tolerance absorbs the main loop's scheduling jitter.
            bool record = _commitRequested || !_recordedOnce[ch] || uptimeMs >= _nextRecordUptime[ch] - 1000 || reading.Status != _lastRecordedStatus[ch];
            if (_commitRequested)
            {
                int committed = _ring.CommitTo(_sink);
                Recorded += committed;
                if (committed > 0)
                {
                    Reading info = reading;
                    info.Value = committed;
                    Emit(EventKind.PreTriggerCommitted, EventPriority.Routine, ref info, AlarmLevel.None, 0, 0);
                }
            }

            _ring.Add(ref reading, record);
            if (record)
            {
                _sink.Accept(ref reading);
                Recorded++;
                _recordedOnce[ch] = true;
                _lastRecordedStatus[ch] = reading.Status;
                _nextRecordUptime[ch] = uptimeMs + RecordIntervalMs;
            }

            return record;
        }

        private void UpdateMode(ref Reading reading, long uptimeMs)
        {
            CadenceMode mode = CadenceMode.Quiet;
            bool anyAlarm = AlarmLevel != AlarmLevel.None || _snowfall.Active || _tiltChangeActive[0] || _tiltChangeActive[1];
            if (_observing || anyAlarm)
            {
                mode = CadenceMode.Observing;
            }

            if (uptimeMs < _rapidUntilUptime || (AlarmLevel != AlarmLevel.None && AlarmLevel >= _settings.RapidFromLevel))
            {
                mode = CadenceMode.Rapid;
            }

            if (mode != Mode)
            {
                Mode = mode;
                // Shorten the wait for the next record when the cadence speeds up.
                for (int i = 0; i < MaxChannels; i++)
                {
                    long limit = uptimeMs + RecordIntervalMs;
                    if (_nextRecordUptime[i] > limit)
                    {
                        _nextRecordUptime[i] = limit;
                    }
                }

                Emit(EventKind.CadenceChanged, mode == CadenceMode.Quiet ? EventPriority.Routine : EventPriority.Alarm, ref reading, AlarmLevel, 0, 0);
                if (mode != CadenceMode.Quiet)
                {
                    _commitRequested = true;
                }
            }
        }

        private void Emit(EventKind kind, EventPriority priority, ref Reading reading, AlarmLevel level, int threshold, int rate)
        {
            _event.Kind = kind;
            _event.Priority = priority;
            _event.Channel = reading.Channel;
            _event.Level = level;
            _event.TimeMs = reading.TimeMs;
            _event.Value = reading.Value;
            _event.Threshold = threshold;
            _event.Rate = rate;
            _event.CadenceMs = RecordIntervalMs;
            _event.Status = reading.Status;
            if (priority == EventPriority.Alarm)
            {
                _commitRequested = true;
            }

            if (_events != null)
            {
                _events.Accept(ref _event);
            }
        }
    }
}
