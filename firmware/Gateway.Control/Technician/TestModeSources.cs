using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// Wraps the node's sensor sources for hardware-in-the-loop tests. Out of test mode every sample is the real
    /// source's, untouched. In test mode every reading carries <see cref="ReadingStatus.Maintenance"/> (so the town
    /// never takes it for a field observation; the cloud stores the flag), and a channel with an injected value reads
    /// that value instead of the sensor (upstream of the filter chain and the event rules, so they run for real).
    /// Allocates nothing per sample.
    /// </summary>
    public sealed class TestModeSources
    {
        private readonly InjectableSource[] _wrapped;

        /// <summary>Wraps <paramref name="sources"/>; the node must be built over <see cref="Sources"/>.</summary>
        public TestModeSources(ISensorSource[] sources)
        {
            _wrapped = new InjectableSource[sources.Length];
            Raw = sources;
            Sources = new ISensorSource[sources.Length];
            for (int i = 0; i < sources.Length; i++)
            {
                _wrapped[i] = new InjectableSource(sources[i]);
                Sources[i] = _wrapped[i];
            }
        }

        /// <summary>The wrapped sources, in the order given.</summary>
        public ISensorSource[] Sources { get; private set; }

        /// <summary>The real sources, unwrapped (the self-test reads the sensors even in test mode).</summary>
        public ISensorSource[] Raw { get; private set; }

        /// <summary>True while test mode is on.</summary>
        public bool TestMode { get; private set; }

        /// <summary>Enters or leaves test mode; leaving it forgets every injected value.</summary>
        public void SetTestMode(bool on)
        {
            TestMode = on;
            for (int i = 0; i < _wrapped.Length; i++)
            {
                _wrapped[i].TestMode = on;
                if (!on)
                {
                    _wrapped[i].HasInjected = false;
                }
            }
        }

        /// <summary>Makes the next samples of <paramref name="channel"/> read <paramref name="value"/> (test mode only).</summary>
        public bool Inject(ChannelId channel, int value, out string error)
        {
            if (!TestMode)
            {
                error = "not in test mode";
                return false;
            }

            for (int i = 0; i < _wrapped.Length; i++)
            {
                if (_wrapped[i].Channel == channel)
                {
                    _wrapped[i].Injected = value;
                    _wrapped[i].HasInjected = true;
                    error = "";
                    return true;
                }
            }

            error = "no sensor of channel " + ((int)channel).ToString() + " is fitted";
            return false;
        }

        /// <summary>True when <paramref name="channel"/> reads an injected value now (test mode on and a value injected).</summary>
        public bool HasInjected(ChannelId channel)
        {
            for (int i = 0; i < _wrapped.Length; i++)
            {
                if (_wrapped[i].Channel == channel)
                {
                    return TestMode && _wrapped[i].HasInjected;
                }
            }

            return false;
        }

        private sealed class InjectableSource : ISensorSource
        {
            private readonly ISensorSource _inner;

            public InjectableSource(ISensorSource inner)
            {
                _inner = inner;
            }

            public bool TestMode;
            public bool HasInjected;
            public int Injected;

            public ChannelId Channel
            {
                get { return _inner.Channel; }
            }

            public bool TrySample(ref Reading reading)
            {
                if (!TestMode)
                {
                    return _inner.TrySample(ref reading);
                }

                if (HasInjected)
                {
                    reading.Channel = _inner.Channel;
                    reading.Value = Injected;
                    reading.Status = ReadingStatus.Maintenance;
                    return true;
                }

                bool ok = _inner.TrySample(ref reading);
                reading.Status |= ReadingStatus.Maintenance;
                return ok;
            }
        }
    }
}
