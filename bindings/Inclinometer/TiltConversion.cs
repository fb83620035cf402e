using System;

namespace Gateway.Bindings.Inclinometer
{
    /// <summary>
    /// Pure tilt math from a 3-axis accelerometer at rest (gravity only), any consistent unit:
    /// pitch = atan2(x, √(y² + z²)), roll = atan2(y, z); both 0 when the sensor lies flat (z up).
    /// </summary>
    /// <remarks>Analog Devices AN-1057 (tilt sensing with accelerometers), equations 11 and 12.</remarks>
    public static class TiltConversion
    {
        private const double MillidegreesPerRadian = 180000.0 / Math.PI;

        /// <summary>Pitch (rotation about Y, tilt of the X axis), millidegrees, −90 000 .. +90 000.</summary>
        public static int PitchMillidegrees(double x, double y, double z)
        {
            return (int)Math.Round(Math.Atan2(x, Math.Sqrt(y * y + z * z)) * MillidegreesPerRadian);
        }

        /// <summary>Roll (rotation about X, tilt of the Y axis), millidegrees, −180 000 .. +180 000.</summary>
        public static int RollMillidegrees(double y, double z)
        {
            return (int)Math.Round(Math.Atan2(y, z) * MillidegreesPerRadian);
        }

        /// <summary>The magnitude of the acceleration vector in thousandths of g, for a sanity check (1000 at rest).</summary>
        public static int MagnitudeMilliG(double x, double y, double z, double countsPerG)
        {
            return (int)Math.Round(Math.Sqrt(x * x + y * y + z * z) * 1000.0 / countsPerG);
        }
    }
}
