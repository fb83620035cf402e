using Gateway.Bindings.Bus;
using Gateway.Core.Sensing;

namespace Gateway.Bindings.Pressure
{
    /// <summary>
    /// A submersible water-pressure transducer read through an ADS1115: loop current (or ratiometric voltage) →
    /// NAMUR NE 43 check → calibration → barometric compensation → depth → water level.
    /// </summary>
    public sealed class PressureTransducer : ISensorSource
    {
        private readonly IRawAdc _adc;
        private readonly IBarometer _barometer;
        private readonly PressureSettings _settings;
        private int _lastRawCode = int.MinValue;
        private int _stuckRun;

        /// <summary>Creates the input; <paramref name="barometer"/> is needed only for absolute transducers.</summary>
        public PressureTransducer(IRawAdc adc, IBarometer barometer, PressureSettings settings)
        {
            _adc = adc;
            _barometer = barometer;
            _settings = settings;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return _settings.Output == PressureOutput.WaterLevel ? ChannelId.WaterLevelMillimeters : ChannelId.PressurePascals; }
        }

        /// <summary>The transducer signal of the last reading (µA for a loop, ppm of supply for ratiometric).</summary>
        public int LastSignal { get; private set; }

        /// <summary>The averaged raw ADC code of the last reading.</summary>
        public int LastCode { get; private set; }

        /// <summary>The gauge pressure of the last reading, pascals.</summary>
        public int LastGaugePascals { get; private set; }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            reading.Channel = Channel;
            reading.Value = 0;
            ReadingStatus status = ReadingStatus.Ok;

            int n = _settings.Oversample < 1 ? 1 : _settings.Oversample;
            long sum = 0;
            int first = 0;
            bool allSame = true;
            for (int i = 0; i < n; i++)
            {
                short code;
                if (!_adc.TryReadRaw(out code))
                {
                    reading.Status = ReadingStatus.BusError | ReadingStatus.NoEcho;
                    return true;
                }

                if (i == 0)
                {
                    first = code;
                }
                else if (code != first)
                {
                    allSame = false;
                }

                sum += code;
            }

            _stuckRun = allSame && first == _lastRawCode ? _stuckRun + 1 : 0;
            _lastRawCode = allSame ? first : int.MinValue;
            if (_settings.StuckReadings > 0 && _stuckRun >= _settings.StuckReadings)
            {
                status |= ReadingStatus.Stuck;
            }

            int avg = (int)(sum >= 0 ? (sum + n / 2) / n : (sum - n / 2) / n);
            LastCode = avg;
            int microvolts = Ads1115Conversion.ToMicrovolts((short)avg, _settings.Range);

            int signal;
            if (_settings.Signal == TransducerSignal.CurrentLoop)
            {
                signal = LoopCurrent.ToMicroamps(microvolts, _settings.ShuntMilliohms);
                LoopState state = LoopCurrent.Classify(signal);
                if (state == LoopState.Failure)
                {
                    LastSignal = signal;
                    reading.Value = signal;
                    reading.Status = (status & ~ReadingStatus.Stuck) | ReadingStatus.LoopFault;
                    return true;
                }

                if (state != LoopState.Measuring)
                {
                    status |= ReadingStatus.OutOfRange;
                }
            }
            else
            {
                signal = (int)(microvolts * 1000L / _settings.SupplyMillivolts);
                // 0.5–4.5 V transducers hold 0.25–4.75 V in operation: outside is an open or shorted wire.
                if (signal < 50000 || signal > 950000)
                {
                    LastSignal = signal;
                    reading.Value = signal;
                    reading.Status = (status & ~ReadingStatus.Stuck) | ReadingStatus.LoopFault;
                    return true;
                }

                if (signal < _settings.Calibration.ZeroSignal || signal > _settings.Calibration.ZeroSignal + _settings.Calibration.SpanSignal)
                {
                    status |= ReadingStatus.OutOfRange;
                }
            }

            LastSignal = signal;
            int pascals = _settings.Calibration.ToPascals(signal);
            if (_settings.Absolute)
            {
                int air;
                if (_barometer == null || !_barometer.TryReadPascals(out air) || air < 50000 || air > 110000)
                {
                    air = HydrostaticDepth.StandardAtmospherePascals;
                    status |= ReadingStatus.Uncompensated;
                }

                pascals -= air;
            }

            LastGaugePascals = pascals;
            if (_settings.Output == PressureOutput.WaterLevel)
            {
                reading.Value = _settings.SensorElevationMm + HydrostaticDepth.ToMillimeters(pascals, _settings.DensityKgPerCubicMeter);
            }
            else
            {
                reading.Value = pascals;
            }

            reading.Status = status;
            return true;
        }
    }
}
