using Gateway.Bindings.Bus;
using Gateway.Core.Sensing;

namespace Gateway.Bindings.Inclinometer
{
    /// <summary>
    /// A slope inclinometer: oversampled accelerometer counts → averaged vector → pitch and roll in millidegrees
    /// relative to the installation zero. <see cref="Pitch"/> and <see cref="Roll"/> are the two channel sources; a
    /// pitch sample measures, the roll sample of the same cycle reuses that measurement.
    /// </summary>
    /// <remarks>
    /// Temperature drift: the 0 g offset drifts (ADXL345 about ±0.8 mg/°C on X/Y, i.e. about 0.05°/°C), so seasonal
    /// swings of tens of degrees move the zero by a degree or more; ADXL357 drifts far less. Compare tilt at similar
    /// temperatures or use the ADXL357 where slow creep matters.
    /// </remarks>
    public sealed class Inclinometer
    {
        private readonly IAccelerometerRaw _accelerometer;
        private readonly InclinometerSettings _settings;
        private bool _rollPending;

        /// <summary>Creates the inclinometer.</summary>
        public Inclinometer(IAccelerometerRaw accelerometer, InclinometerSettings settings)
        {
            _accelerometer = accelerometer;
            _settings = settings;
            Pitch = new InclinometerAxis(this, true);
            Roll = new InclinometerAxis(this, false);
        }

        /// <summary>The pitch channel source (<see cref="ChannelId.TiltXMillidegrees"/>).</summary>
        public InclinometerAxis Pitch { get; private set; }

        /// <summary>The roll channel source (<see cref="ChannelId.TiltYMillidegrees"/>).</summary>
        public InclinometerAxis Roll { get; private set; }

        /// <summary>Pitch of the last measurement relative to the zero, millidegrees.</summary>
        public int LastPitch { get; private set; }

        /// <summary>Roll of the last measurement relative to the zero, millidegrees.</summary>
        public int LastRoll { get; private set; }

        /// <summary>Quality of the last measurement.</summary>
        public ReadingStatus LastStatus { get; private set; }

        /// <summary>Measures once: oversampled burst, average, tilt, zero offset, quality.</summary>
        public void Measure()
        {
            int n = _settings.Oversample < 1 ? 1 : _settings.Oversample;
            long sx = 0, sy = 0, sz = 0;
            int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue;
            int maxX = int.MinValue, maxY = int.MinValue, maxZ = int.MinValue;
            for (int i = 0; i < n; i++)
            {
                int x, y, z;
                if (!_accelerometer.TryReadCounts(out x, out y, out z))
                {
                    LastStatus = ReadingStatus.BusError | ReadingStatus.NoEcho;
                    LastPitch = 0;
                    LastRoll = 0;
                    _rollPending = true;
                    return;
                }

                sx += x;
                sy += y;
                sz += z;
                if (x < minX) { minX = x; }
                if (x > maxX) { maxX = x; }
                if (y < minY) { minY = y; }
                if (y > maxY) { maxY = y; }
                if (z < minZ) { minZ = z; }
                if (z > maxZ) { maxZ = z; }
            }

            double ax = (double)sx / n;
            double ay = (double)sy / n;
            double az = (double)sz / n;
            ReadingStatus status = ReadingStatus.Ok;
            if (maxX - minX > _settings.NoiseLimitCounts || maxY - minY > _settings.NoiseLimitCounts || maxZ - minZ > _settings.NoiseLimitCounts)
            {
                status |= ReadingStatus.Noisy;
            }

            int g = TiltConversion.MagnitudeMilliG(ax, ay, az, _settings.CountsPerG);
            if (g < 1000 - _settings.GravityToleranceMilliG || g > 1000 + _settings.GravityToleranceMilliG)
            {
                status |= ReadingStatus.OutOfRange;
            }

            LastPitch = TiltConversion.PitchMillidegrees(ax, ay, az) - _settings.ZeroPitchMillidegrees;
            LastRoll = TiltConversion.RollMillidegrees(ay, az) - _settings.ZeroRollMillidegrees;
            LastStatus = status;
            _rollPending = true;
        }

        /// <summary>Sets the installation zero from the current attitude (averaged measurement).</summary>
        public void SetZeroHere()
        {
            _settings.ZeroPitchMillidegrees = 0;
            _settings.ZeroRollMillidegrees = 0;
            Measure();
            _settings.ZeroPitchMillidegrees = LastPitch;
            _settings.ZeroRollMillidegrees = LastRoll;
        }

        internal void Fill(bool pitch, ref Reading reading)
        {
            if (pitch || !_rollPending)
            {
                Measure();
            }

            if (!pitch)
            {
                _rollPending = false;
            }

            reading.Channel = pitch ? ChannelId.TiltXMillidegrees : ChannelId.TiltYMillidegrees;
            reading.Value = pitch ? LastPitch : LastRoll;
            reading.Status = LastStatus;
        }
    }

    /// <summary>One axis of an <see cref="Inclinometer"/> as a channel source.</summary>
    public sealed class InclinometerAxis : ISensorSource
    {
        private readonly Inclinometer _owner;
        private readonly bool _pitch;

        internal InclinometerAxis(Inclinometer owner, bool pitch)
        {
            _owner = owner;
            _pitch = pitch;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return _pitch ? ChannelId.TiltXMillidegrees : ChannelId.TiltYMillidegrees; }
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            _owner.Fill(_pitch, ref reading);
            return true;
        }
    }
}
