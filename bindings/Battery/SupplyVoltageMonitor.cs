using Gateway.Bindings.Bus;
using Gateway.Core.Sensing;

namespace Gateway.Bindings.Battery
{
    /// <summary>Settings of a battery or supply voltage input (plain fields).</summary>
    public sealed class SupplyVoltageSettings
    {
        /// <summary>The channel reported (battery or supply).</summary>
        public ChannelId Channel = ChannelId.BatteryMillivolts;

        /// <summary>ADC resolution, bits (ESP32: 12).</summary>
        public int Bits = 12;

        /// <summary>ADC full-scale voltage at the pin, millivolts (ESP32 ADC1 at 11 dB attenuation: about 3100 mV usable).</summary>
        public int ReferenceMillivolts = 3300;

        /// <summary>Upper divider resistor, ohms.</summary>
        public int TopOhms = 100000;

        /// <summary>Lower divider resistor, ohms.</summary>
        public int BottomOhms = 100000;

        /// <summary>Counts averaged per reading.</summary>
        public int Oversample = 16;

        /// <summary>Lowest plausible voltage, millivolts; below is flagged OutOfRange.</summary>
        public int MinMillivolts = 2500;

        /// <summary>Highest plausible voltage, millivolts; above is flagged OutOfRange.</summary>
        public int MaxMillivolts = 15000;
    }

    /// <summary>A battery or supply voltage through a divider into the ESP32 ADC (uncalibrated: trim with a linear filter).</summary>
    public sealed class SupplyVoltageMonitor : ISensorSource
    {
        private readonly IAnalogInput _input;
        private readonly SupplyVoltageSettings _settings;

        /// <summary>Creates the monitor.</summary>
        public SupplyVoltageMonitor(IAnalogInput input, SupplyVoltageSettings settings)
        {
            _input = input;
            _settings = settings;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return _settings.Channel; }
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            reading.Channel = _settings.Channel;
            int n = _settings.Oversample < 1 ? 1 : _settings.Oversample;
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                int c;
                if (!_input.TryReadRaw(out c))
                {
                    reading.Value = 0;
                    reading.Status = ReadingStatus.BusError | ReadingStatus.NoEcho;
                    return true;
                }

                sum += c;
            }

            int mv = VoltageDivider.ToMillivolts((int)((sum + n / 2) / n), _settings.Bits, _settings.ReferenceMillivolts, _settings.TopOhms, _settings.BottomOhms);
            reading.Value = mv;
            reading.Status = mv < _settings.MinMillivolts || mv > _settings.MaxMillivolts ? ReadingStatus.OutOfRange : ReadingStatus.Ok;
            return true;
        }
    }
}
