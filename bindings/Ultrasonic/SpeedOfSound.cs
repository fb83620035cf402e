using System;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>
    /// Speed of sound in dry air from the air temperature: c = 331.3 · √(1 + T / 273.15) m/s.
    /// </summary>
    /// <remarks>Humidity adds at most about 0.3 % at 30 °C and is ignored; 20 °C gives ≈ 343.2 m/s.</remarks>
    public static class SpeedOfSound
    {
        /// <summary>Speed of sound at 0 °C, millimetres per second.</summary>
        public const int AtZeroCelsiusMmPerSecond = 331300;

        /// <summary>The temperature assumed when none is measured (the reading is then flagged Uncompensated).</summary>
        public const int DefaultMillicelsius = 20000;

        /// <summary>Speed of sound in mm/s for an air temperature in millidegrees Celsius (valid −40 .. +80 °C).</summary>
        public static int MillimetersPerSecond(int airMillicelsius)
        {
            double ratio = 1.0 + (airMillicelsius / 1000.0) / 273.15;
            if (ratio < 0.01)
            {
                ratio = 0.01;
            }

            return (int)Math.Round(AtZeroCelsiusMmPerSecond * Math.Sqrt(ratio));
        }
    }
}
