using System;
using Gateway.Bindings.Bus;
using Iot.Device.Hcsr04.Esp32;
using UnitsNet;

namespace Gateway.Hardware.Esp32.Sensors
{
    /// <summary>
    /// An HC-SR04 / JSN-SR04T (trigger mode) through nanoFramework's RMT-based Hcsr04.Esp32, turned back into the
    /// echo time so that the portable binding compensates for the air temperature.
    /// </summary>
    /// <remarks>Hcsr04.Esp32 computes its distance with a fixed 340.29 m/s; that constant is undone here.</remarks>
    public sealed class Esp32EchoTimer : IEchoTimer, IDisposable
    {
        /// <summary>The speed of sound hard-coded in Hcsr04.Esp32, mm/s.</summary>
        public const int BindingSpeedMmPerSecond = 340290;

        private readonly Hcsr04 _sonar;

        /// <summary>Creates the ranger on the trigger and echo GPIOs (the binding's argument order: trigger, echo).</summary>
        public Esp32EchoTimer(int triggerPin, int echoPin)
        {
            _sonar = new Hcsr04(triggerPin, echoPin);
        }

        /// <inheritdoc />
        public bool TryMeasureEchoMicroseconds(out int microseconds)
        {
            microseconds = 0;
            Length distance;
            if (!_sonar.TryGetDistance(out distance))
            {
                return false;
            }

            microseconds = (int)(distance.Millimeters * 2000000.0 / BindingSpeedMmPerSecond + 0.5);
            return microseconds > 0;
        }

        /// <summary>Releases the RMT channels.</summary>
        public void Dispose()
        {
            _sonar.Dispose();
        }
    }
}
