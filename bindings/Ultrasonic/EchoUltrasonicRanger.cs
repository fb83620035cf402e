using Gateway.Bindings.Bus;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>
    /// A trigger/echo ranger (HC-SR04, JSN-SR04T in trigger mode) measured as echo time and compensated for the
    /// air temperature. On the device the echo time comes from Hcsr04.Esp32 (RMT), which assumes a fixed speed.
    /// </summary>
    /// <remarks>HC-SR04 datasheet: at least 60 ms between triggers so that the previous echo has died out.</remarks>
    public sealed class EchoUltrasonicRanger : UltrasonicRangerBase
    {
        private readonly IEchoTimer _timer;

        /// <summary>Creates the ranger over an echo timer and an air temperature probe.</summary>
        public EchoUltrasonicRanger(IEchoTimer timer, ITemperatureProbe temperature, UltrasonicSettings settings)
            : base(settings, temperature)
        {
            _timer = timer;
        }

        /// <inheritdoc />
        protected override bool NeedsTemperature
        {
            get { return true; }
        }

        /// <inheritdoc />
        protected override PingResult Ping(out int microseconds)
        {
            if (!_timer.TryMeasureEchoMicroseconds(out microseconds) || microseconds <= 0)
            {
                return PingResult.NoEcho;
            }

            return PingResult.Distance;
        }

        /// <inheritdoc />
        protected override int ToMillimeters(int raw, int speedMmPerSecond)
        {
            return EchoConversion.ToDistanceMillimetersAtSpeed(raw, speedMmPerSecond);
        }
    }
}
