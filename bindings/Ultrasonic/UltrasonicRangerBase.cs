using Gateway.Bindings.Bus;
using Gateway.Core.Sensing;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>The outcome of one ping.</summary>
    public enum PingResult : byte
    {
        /// <summary>A distance was measured (still to be checked against blanking and range).</summary>
        Distance = 0,

        /// <summary>The part answered that it saw no echo, or timed out.</summary>
        NoEcho = 1,

        /// <summary>Bus garbage (bad frames) and no distance.</summary>
        BusError = 2,
    }

    /// <summary>
    /// The measurement logic shared by the UART and trigger/echo rangers: N pings, blanking and range checks,
    /// temperature compensation, median with spread check, geometry, quality flags. Subclasses do one ping's I/O.
    /// </summary>
    public abstract class UltrasonicRangerBase : ISensorSource
    {
        /// <summary>The settings in force.</summary>
        protected readonly UltrasonicSettings Settings;
        private readonly ITemperatureProbe _temperature;
        private readonly PingAggregator _aggregator;
        private int _lastRaw = -1;
        private int _stuckRun;

        /// <summary>Creates the ranger; <paramref name="temperature"/> may be null (readings then flagged Uncompensated when needed).</summary>
        protected UltrasonicRangerBase(UltrasonicSettings settings, ITemperatureProbe temperature)
        {
            Settings = settings;
            _temperature = temperature;
            _aggregator = new PingAggregator(settings.PingCount);
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return LevelGeometry.ChannelFor(Settings.Output); }
        }

        /// <summary>Air temperature used by the last reading, millidegrees Celsius.</summary>
        public int LastAirMillicelsius { get; private set; }

        /// <summary>Pings rejected as false echoes or out of the blanking/range window, since construction.</summary>
        public int RejectedPings { get; private set; }

        /// <summary>Distance of the last reading before geometry, millimetres.</summary>
        public int LastDistanceMm { get; private set; }

        /// <summary>True when this part's distance needs the air temperature (trigger/echo or a fixed-speed module).</summary>
        protected abstract bool NeedsTemperature { get; }

        /// <summary>One ping's I/O: the part's raw value (frame millimetres, echo microseconds), or why none.</summary>
        protected abstract PingResult Ping(out int raw);

        /// <summary>Converts a raw ping value to millimetres at the real speed of sound (pure).</summary>
        protected abstract int ToMillimeters(int raw, int speedMmPerSecond);

        /// <summary>Called once before the pings of a reading (flush stale input, for example).</summary>
        protected virtual void BeginMeasurement()
        {
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            reading.Channel = Channel;
            reading.Value = 0;
            ReadingStatus status = ReadingStatus.Ok;

            int air = SpeedOfSound.DefaultMillicelsius;
            if (NeedsTemperature)
            {
                int t;
                if (_temperature != null && _temperature.TryReadMillicelsius(out t) && t > -50000 && t < 90000)
                {
                    air = t;
                }
                else
                {
                    status |= ReadingStatus.Uncompensated;
                }
            }

            LastAirMillicelsius = air;
            int speed = SpeedOfSound.MillimetersPerSecond(air);

            BeginMeasurement();
            _aggregator.Clear();
            int attempts = Settings.PingCount + Settings.ExtraAttempts;
            int noEcho = 0;
            int busErrors = 0;
            int outOfWindow = 0;
            int firstRaw = -1;
            bool allSame = true;
            for (int i = 0; i < attempts && _aggregator.Count < Settings.PingCount; i++)
            {
                int raw;
                int mm = 0;
                PingResult result = Ping(out raw);
                if (result == PingResult.Distance)
                {
                    mm = ToMillimeters(raw, speed);
                    if (firstRaw < 0)
                    {
                        firstRaw = raw;
                    }
                    else if (raw != firstRaw)
                    {
                        allSame = false;
                    }
                }

                if (result == PingResult.NoEcho)
                {
                    noEcho++;
                }
                else if (result == PingResult.BusError)
                {
                    busErrors++;
                }
                else if (mm < Settings.BlankingMm || mm > Settings.MaxRangeMm)
                {
                    outOfWindow++;
                    RejectedPings++;
                }
                else
                {
                    _aggregator.Add(mm);
                }
            }

            int distance;
            ReadingStatus spread;
            if (!_aggregator.TryEvaluate(Settings.InlierToleranceMm, Settings.SpreadLimitMm, Settings.EffectiveQuorum, out distance, out spread))
            {
                if (outOfWindow > 0)
                {
                    status |= ReadingStatus.OutOfRange;
                }
                else if (busErrors > 0 && noEcho == 0)
                {
                    status |= ReadingStatus.BusError | ReadingStatus.NoEcho;
                }
                else
                {
                    status |= ReadingStatus.NoEcho;
                }

                reading.Status = status;
                return true;
            }

            RejectedPings += _aggregator.LastRejected;
            if (_aggregator.Count < Settings.EffectiveQuorum)
            {
                spread = ReadingStatus.Noisy;
            }

            // A live surface never gives identical raw pings reading after reading: a frozen module does.
            if (allSame && firstRaw == _lastRaw)
            {
                _stuckRun++;
            }
            else
            {
                _stuckRun = 0;
            }

            _lastRaw = allSame ? firstRaw : -1;
            if (Settings.StuckReadings > 0 && _stuckRun >= Settings.StuckReadings)
            {
                spread |= ReadingStatus.Stuck;
            }

            LastDistanceMm = distance;
            reading.Value = LevelGeometry.Convert(Settings.Output, Settings.ReferenceMm, distance);
            reading.Status = status | spread;
            return true;
        }
    }
}
