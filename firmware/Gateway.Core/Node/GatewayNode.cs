using System;
using Gateway.Core.Codec;
using Gateway.Core.Downlink;
using Gateway.Core.Security;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Core.Node
{
    /// <summary>
    /// The gateway's main cycle, the same on the ESP32 and in the simulator: wake → sample what is due → store →
    /// send what is due (alarms at once) → apply what the cloud sent back → persist → say when to wake next.
    /// Everything that must survive a deep sleep or a power cut lives in the record log and in the node's durable
    /// state (boot counter, batch chain, downlink counter, send times); a new node over the same flash carries on.
    /// </summary>
    public sealed partial class GatewayNode : IReadingSink, ISensingEventSink
    {
        /// <summary>The durable-state key of the node's own state (keys 0–15 belong to the log).</summary>
        public const int StateKey = 16;

        private const int StateVersion = 2;
        private const int ChainOffset = 1 + 4 + 4 + 8 + 8;
        private const int DetectorOffset = ChainOffset + BatchEncoder.ChainStateLength;
        private const int StateBytes = DetectorOffset + EventDetector.StateLength;
        private const int StateBytesVersion1 = DetectorOffset;

        /// <summary>Readings of one wake the node remembers until their commit, to tell the observer (more: committed early).</summary>
        private const int WakeReadings = 16;

        private readonly NodeSettings _settings;
        private readonly IClock _clock;
        private readonly IWallClockSetter _clockSetter;
        private readonly IHmacSha256 _hmac;
        private readonly RecordLog _log;
        private readonly ISensorSource[] _sources;
        private readonly FilterChain[] _chains;
        private readonly SensingSettings _sensing;
        private readonly IRandomSource _random;
        private readonly IUplinkTransport[] _transports = new IUplinkTransport[UplinkScheduler.MaxTransports];
        private readonly int[] _costs = new int[UplinkScheduler.MaxTransports];
        private readonly PayloadClass[] _lowest = new PayloadClass[UplinkScheduler.MaxTransports];
        private readonly byte[] _state = new byte[StateBytes];
        private readonly byte[] _downlink = new byte[DownlinkCodec.MaxBytes];
        private readonly DownlinkCommand _command = new DownlinkCommand();
        private readonly Reading[] _wakeReadings = new Reading[WakeReadings];
        private readonly uint[] _wakeSequences = new uint[WakeReadings];
        private int _wakeCount;
        private int _transportCount;
        private BatchEncoder _encoder;
        private LogPayloadSource _payloads;
        private UplinkScheduler _scheduler;
        private DownlinkCodec _downlinks;
        private EventDetector _detector;
        private SamplingPipeline _pipeline;
        private bool _alarmPending;
        private bool _stateDirty;
        private long _lastSendWallMs;
        private long _lastBacklogSendWallMs;
        private bool _detectorStateLoaded;

        /// <summary>Creates the node from its parts; nothing touches flash or radio until <see cref="Boot"/>.</summary>
        public GatewayNode(NodeSettings settings, IClock clock, IWallClockSetter clockSetter, IHmacSha256 hmac, RecordLog log,
            ISensorSource[] sources, FilterChain[] chains, SensingSettings sensing, IRandomSource random)
        {
            if (settings == null || clock == null || hmac == null || log == null || sources == null || sensing == null || random == null)
            {
                throw new ArgumentNullException("settings");
            }

            _settings = settings;
            _clock = clock;
            _clockSetter = clockSetter;
            _hmac = hmac;
            _log = log;
            _sources = sources;
            _chains = chains;
            _sensing = sensing;
            _random = random;
        }

        /// <summary>The boot counter (increased by every <see cref="Boot"/>, durable).</summary>
        public uint BootCounter { get; private set; }

        /// <summary>The record log.</summary>
        public RecordLog Log
        {
            get { return _log; }
        }

        /// <summary>The event detector (cadence mode, alarm level).</summary>
        public EventDetector Detector
        {
            get { return _detector; }
        }

        /// <summary>The sampling pipeline.</summary>
        public SamplingPipeline Pipeline
        {
            get { return _pipeline; }
        }

        /// <summary>The uplink scheduler.</summary>
        public UplinkScheduler Scheduler
        {
            get { return _scheduler; }
        }

        /// <summary>The batch source over the log.</summary>
        public LogPayloadSource Payloads
        {
            get { return _payloads; }
        }

        /// <summary>The downlink decoder (its counters say what was refused and why).</summary>
        public DownlinkCodec Downlinks
        {
            get { return _downlinks; }
        }

        /// <summary>Readings handed to the log since boot.</summary>
        public int ReadingsStored { get; private set; }

        /// <summary>Alarm records written since boot.</summary>
        public int AlarmsRaised { get; private set; }

        /// <summary>Acknowledged sequence ranges applied since boot.</summary>
        public int AcknowledgementsApplied { get; private set; }

        /// <summary>A reboot was requested by the cloud (the composition root performs it after <see cref="Suspend"/>).</summary>
        public bool RebootRequested { get; private set; }

        /// <summary>
        /// A configuration document the cloud proposed (UTF-8 JSON bytes in <see cref="DownlinkCommand.ConfigBytes"/>
        /// of <see cref="LastConfigProposal"/>); the composition root hands it to the configuration manager.
        /// </summary>
        public bool ConfigProposed { get; private set; }

        /// <summary>The last configuration downlink.</summary>
        public DownlinkCommand LastConfigProposal
        {
            get { return _command; }
        }

        /// <summary>The last sequence of the last reading stored (for tests and figures).</summary>
        public uint LastReadingSequence { get; private set; }

        /// <summary>Who watches what is stored (optional).</summary>
        public INodeObserver Observer;

        /// <summary>
        /// The autonomy governor (optional): fed with the battery channel's readings, it stretches the quiet routine
        /// as the battery falls; the daily alive message carries its step.
        /// </summary>
        public AutonomyGovernor Governor;

        /// <summary>Adds a transport (cheapest first); call before <see cref="Boot"/>.</summary>
        public void AddTransport(IUplinkTransport transport, int cost, PayloadClass lowestClass)
        {
            if (_transportCount == _transports.Length)
            {
                throw new InvalidOperationException("too many transports");
            }

            _transports[_transportCount] = transport;
            _costs[_transportCount] = cost;
            _lowest[_transportCount] = lowestClass;
            _transportCount++;
        }

        /// <summary>Recovers the log, restores the node's state, counts the boot, and builds the pipeline and uplink.</summary>
        public void Boot()
        {
            _log.Open();
            LoadState();
            BootCounter++;
            _encoder = new BatchEncoder(_hmac, _settings.DeviceId, BootCounter, _settings.MaxBatchBytes);
            _encoder.SetChainState(_state, ChainOffset);
            _downlinks = new DownlinkCodec(_settings.DeviceId, _hmac);
            _downlinks.LastCounter = LittleEndian.ReadUInt32(_state, 5);
            _payloads = new LogPayloadSource(_log, _encoder, _clock, _settings, _random);
            _scheduler = new UplinkScheduler(_payloads, _clock, _random, _settings.MaxBatchBytes);
            for (int i = 0; i < _transportCount; i++)
            {
                _scheduler.AddTransport(_transports[i], _costs[i], _lowest[i], 30000, 3600000);
            }

            _detector = new EventDetector(_sensing, this, this, _sources.Length);
            if (_detectorStateLoaded)
            {
                // Alarms already raised and the cadence in force survive the restart: nothing is raised twice.
                _detector.ImportState(_state, DetectorOffset);
            }

            if (Governor != null)
            {
                // The step survives the deep sleep (in the detector's state), so its hysteresis holds across wakes.
                Governor.Resume(_detector.QuietStretch);
                _detector.QuietStretch = Governor.Stretch;
            }

            _pipeline = new SamplingPipeline(_clock, _sources, _chains, _detector);
            SaveState();
        }

        /// <summary>
        /// Runs one wake: samples if due, sends if due, applies downlinks, persists. Returns the uptime (ms) at which
        /// the next wake is due.
        /// </summary>
        public long RunCycle()
        {
            // One wake, one commit: every channel sampled now goes to flash in one frame (at most this wake at risk).
            _log.BeginWake();
            bool sampled = _pipeline.RunIfDue();
            _log.EndWake();
            NotifyCommitted();
            if (sampled && Governor != null)
            {
                Govern();
            }

            if (SendDue())
            {
                _scheduler.RunOnce();
                _lastSendWallMs = _clock.WallTimeMs;
                _alarmPending = _payloads.HasUnsent(true);
                _stateDirty = true;
            }

            PollDownlinks();
            if (_payloads.ChainDirty || _stateDirty)
            {
                SaveState();
            }

            long next = _pipeline.Scheduler.NextDueUptimeMs;
            long retry = _payloads.NextAlarmRetryUptimeMs();
            if (retry < next)
            {
                // An alarm batch waits for its acknowledgement: wake when it is due again, not at the next sample.
                next = retry;
            }

            long now = _clock.UptimeMs;
            return next > now ? next : now;
        }

        /// <summary>
        /// Sends what is pending now, whatever the schedule, and applies what comes back (a technician's "send now",
        /// a link test, the simulator's final flush). Returns the payloads handed over.
        /// </summary>
        public int SendNow()
        {
            int sent = _scheduler.RunOnce();
            _lastSendWallMs = _clock.WallTimeMs;
            PollDownlinks();
            SaveState();
            return sent;
        }

        /// <summary>True when the log holds records the cloud has not acknowledged.</summary>
        public bool HasUnacknowledged
        {
            get
            {
                uint oldest;
                return _log.TryGetOldestUnacknowledged(out oldest);
            }
        }

        /// <summary>Before a deep sleep or a planned reboot: commits staged readings and persists the node's state.</summary>
        public void Suspend()
        {
            _log.Suspend();
            NotifyCommitted();
            SaveState();
        }

        /// <inheritdoc />
        void IReadingSink.Accept(ref Reading reading)
        {
            if (_wakeCount == WakeReadings)
            {
                _log.Commit();
                NotifyCommitted();
            }

            LastReadingSequence = _log.Append(ref reading);
            ReadingsStored++;
            _wakeReadings[_wakeCount] = reading;
            _wakeSequences[_wakeCount++] = LastReadingSequence;
            if (_log.StagedReadings == 0)
            {
                NotifyCommitted();
            }
        }

        /// <summary>Tells the observer about the readings whose commit has returned (they are durable now).</summary>
        private void NotifyCommitted()
        {
            if (Observer != null)
            {
                for (int i = 0; i < _wakeCount; i++)
                {
                    Observer.OnReadingStored(_wakeSequences[i], ref _wakeReadings[i]);
                }
            }

            _wakeCount = 0;
        }

        /// <inheritdoc />
        void ISensingEventSink.Accept(ref SensingEvent e)
        {
            RecordKind kind = e.Priority == EventPriority.Alarm ? RecordKind.Alarm : RecordKind.Event;
            if (e.Kind == EventKind.Alive)
            {
                // The daily alive message is the send itself; the record says it happened, and the governor's step.
                _lastBacklogSendWallMs = 0;
                if (Governor != null)
                {
                    e.Level = (AlarmLevel)Governor.Step;
                }
            }

            _stateDirty = true;
            uint sequence = _log.AppendEvent(kind, e.Channel, e.TimeMs, EventCodes.LogCode(ref e), EventCodes.LogValue(ref e));
            NotifyCommitted();
            if (kind == RecordKind.Alarm)
            {
                _log.Commit();
                AlarmsRaised++;
                _alarmPending = true;
            }

            if (Observer != null)
            {
                Observer.OnEventStored(sequence, ref e);
            }
        }

        private bool SendDue()
        {
            if (_alarmPending)
            {
                return true;
            }

            if (_payloads.TakeAlarmRetryDue())
            {
                // An alarm batch's acknowledgement is overdue: it goes again now, whatever the routine cadence.
                return true;
            }

            long wall = _clock.WallTimeMs;
            if (_detector.Mode != CadenceMode.Quiet)
            {
                long interval = _detector.RecordIntervalMs;
                if (interval < _settings.MinSendIntervalMs)
                {
                    interval = _settings.MinSendIntervalMs;
                }

                if (wall - _lastSendWallMs >= interval)
                {
                    _lastBacklogSendWallMs = wall;
                    return true;
                }

                return false;
            }

            if (wall - _lastBacklogSendWallMs >= _settings.QuietSendIntervalMs * (Governor == null ? 1 : Governor.Stretch))
            {
                _lastBacklogSendWallMs = wall;
                return true;
            }

            return false;
        }

        private void Govern()
        {
            for (int i = 0; i < _sources.Length; i++)
            {
                if (_sources[i].Channel == ChannelId.BatteryMillivolts)
                {
                    Reading r = _pipeline.LastReading(i);
                    if (r.Status == ReadingStatus.Ok)
                    {
                        Governor.Update(r.Value);
                    }
                }
            }

            _detector.QuietStretch = Governor.Stretch;
        }
    }
}
