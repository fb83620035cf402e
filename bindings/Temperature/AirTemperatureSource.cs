using Gateway.Bindings.Bus;
using Gateway.Core.Sensing;

namespace Gateway.Bindings.Temperature
{
    /// <summary>
    /// The air temperature (the probe that compensates the ultrasonic ranger's speed of sound, a DS18B20 on the
    /// boards) as a channel of its own, m°C: the town sees what the ranger was corrected with, and snow sites see
    /// thaw. A probe that does not answer gives a reading flagged <see cref="ReadingStatus.NoEcho"/>, never a silent gap.
    /// </summary>
    public sealed class AirTemperatureSource : ISensorSource
    {
        private readonly ITemperatureProbe _probe;

        /// <summary>The channel over <paramref name="probe"/>.</summary>
        public AirTemperatureSource(ITemperatureProbe probe)
        {
            _probe = probe;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return ChannelId.TemperatureMillicelsius; }
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            reading.Channel = ChannelId.TemperatureMillicelsius;
            int milli;
            if (_probe.TryReadMillicelsius(out milli))
            {
                reading.Value = milli;
            }
            else
            {
                reading.Value = 0;
                reading.Status |= ReadingStatus.NoEcho;
            }

            return true;
        }
    }
}
