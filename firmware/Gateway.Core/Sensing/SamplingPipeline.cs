using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Time;

namespace Gateway.Core.Sensing
{
    /// <summary>
    /// One site's sampling cycle: <see cref="SamplingScheduler"/> → each <see cref="ISensorSource.TrySample"/> →
    /// time stamp → its <see cref="FilterChain"/> → <see cref="EventDetector"/> (events, records to the sink).
    /// Call <see cref="RunIfDue"/> from the main loop. Allocates nothing per cycle.
    /// </summary>
    public sealed class SamplingPipeline
    {
        private readonly IClock _clock;
        private readonly ISensorSource[] _sources;
        private readonly FilterChain[] _chains;
        private readonly EventDetector _detector;
        private readonly SamplingScheduler _scheduler = new SamplingScheduler();
        private readonly Reading[] _last;
        private Reading _reading;

        /// <summary>
        /// Creates the pipeline; <paramref name="chains"/>[i] filters <paramref name="sources"/>[i] (a null entry or a
        /// shorter array means no filtering for that source).
        /// </summary>
        public SamplingPipeline(IClock clock, ISensorSource[] sources, FilterChain[] chains, EventDetector detector)
        {
            _clock = clock;
            _sources = sources;
            _chains = chains == null ? new FilterChain[0] : chains;
            _detector = detector;
            _last = new Reading[sources.Length];
        }

        /// <summary>The scheduler (next due time, late samples).</summary>
        public SamplingScheduler Scheduler
        {
            get { return _scheduler; }
        }

        /// <summary>The event detector.</summary>
        public EventDetector Detector
        {
            get { return _detector; }
        }

        /// <summary>Cycles run since construction.</summary>
        public int Cycles { get; private set; }

        /// <summary>The last reading of source <paramref name="index"/> after filtering (for the console and tests).</summary>
        public Reading LastReading(int index)
        {
            return _last[index];
        }

        /// <summary>Runs one cycle when due; true when it ran.</summary>
        public bool RunIfDue()
        {
            long uptime = _clock.UptimeMs;
            if (!_scheduler.IsDue(uptime))
            {
                return false;
            }

            RunOnce();
            return true;
        }

        /// <summary>
        /// Runs one cycle now: samples every source, filters, detects, records; schedules the next. Every reading of
        /// the cycle carries the cycle's time (one sampling instant), so the log stores the wake as one instant.
        /// </summary>
        public void RunOnce()
        {
            long uptime = _clock.UptimeMs;
            bool timeUnknown = _clock.Quality == ClockQuality.Unknown;
            long wall = timeUnknown ? uptime : _clock.WallTimeMs;
            for (int i = 0; i < _sources.Length; i++)
            {
                _reading.Channel = _sources[i].Channel;
                _reading.Value = 0;
                _reading.Status = ReadingStatus.Ok;
                if (!_sources[i].TrySample(ref _reading))
                {
                    continue;
                }

                _reading.TimeMs = wall;
                if (timeUnknown)
                {
                    _reading.Status |= ReadingStatus.TimeUnknown;
                }

                if (i < _chains.Length && _chains[i] != null && !_chains[i].TryApply(ref _reading))
                {
                    continue;
                }

                _last[i] = _reading;
                _detector.Process(ref _reading, uptime);
            }

            Cycles++;
            _scheduler.Sampled(uptime, _detector.NextSampleIntervalMs);
        }
    }
}
