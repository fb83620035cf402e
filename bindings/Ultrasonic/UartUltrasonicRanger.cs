using Gateway.Bindings.Bus;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>
    /// A waterproof UART ranger (A02YYUW, JSN-SR04T in serial mode) read from its 4-byte frames at 9600 baud.
    /// </summary>
    /// <remarks>
    /// The module streams a frame about every 100 ms (A02YYUW datasheet: response time 100 ms) or answers a 0x55
    /// trigger byte (JSN-SR04T mode 2). Each ping reads at most <see cref="MaxBytesPerPing"/> bytes before giving up.
    /// </remarks>
    public sealed class UartUltrasonicRanger : UltrasonicRangerBase
    {
        /// <summary>Bytes read for one ping before it counts as no echo: two frames' worth plus resync slack.</summary>
        public const int MaxBytesPerPing = 12;

        private readonly IByteStream _port;
        private readonly A02yyuwFrameParser _parser = new A02yyuwFrameParser();
        private readonly byte[] _one = new byte[1];
        private readonly byte[] _trigger = new byte[] { 0x55 };
        private readonly bool _sendTrigger;

        /// <summary>Creates the ranger over a UART; <paramref name="sendTrigger"/> for modules in triggered mode.</summary>
        public UartUltrasonicRanger(IByteStream port, ITemperatureProbe temperature, UltrasonicSettings settings, bool sendTrigger)
            : base(settings, temperature)
        {
            _port = port;
            _sendTrigger = sendTrigger;
        }

        /// <summary>The frame parser, with its counters of good and garbage frames.</summary>
        public A02yyuwFrameParser Parser
        {
            get { return _parser; }
        }

        /// <inheritdoc />
        protected override bool NeedsTemperature
        {
            get { return Settings.ModuleSpeedOfSoundMmPerSecond > 0; }
        }

        /// <inheritdoc />
        protected override void BeginMeasurement()
        {
            _port.DiscardInput();
            _parser.Reset();
        }

        /// <inheritdoc />
        protected override int ToMillimeters(int raw, int speedMmPerSecond)
        {
            return EchoConversion.Recompensate(raw, Settings.ModuleSpeedOfSoundMmPerSecond, speedMmPerSecond);
        }

        /// <inheritdoc />
        protected override PingResult Ping(out int millimeters)
        {
            millimeters = 0;
            if (_sendTrigger)
            {
                _port.Write(_trigger, 0, 1);
            }

            int badBefore = _parser.BadChecksumFrames;
            for (int i = 0; i < MaxBytesPerPing; i++)
            {
                if (_port.Read(_one, 0, 1) != 1)
                {
                    break;
                }

                int raw;
                if (_parser.TryFeed(_one[0], out raw))
                {
                    if (raw == 0)
                    {
                        return PingResult.NoEcho;
                    }

                    millimeters = raw;
                    return PingResult.Distance;
                }
            }

            return _parser.BadChecksumFrames > badBefore ? PingResult.BusError : PingResult.NoEcho;
        }
    }
}
