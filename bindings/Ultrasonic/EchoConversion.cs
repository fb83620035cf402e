namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>Pure conversions between echo time, distance and the speed of sound.</summary>
    public static class EchoConversion
    {
        /// <summary>
        /// One-way distance in millimetres from a round-trip echo time in microseconds and the air temperature.
        /// </summary>
        public static int ToDistanceMillimeters(int echoMicroseconds, int airMillicelsius)
        {
            return ToDistanceMillimetersAtSpeed(echoMicroseconds, SpeedOfSound.MillimetersPerSecond(airMillicelsius));
        }

        /// <summary>One-way distance in millimetres from a round-trip echo time and a speed of sound in mm/s.</summary>
        public static int ToDistanceMillimetersAtSpeed(int echoMicroseconds, int speedMmPerSecond)
        {
            return (int)((echoMicroseconds * (long)speedMmPerSecond + 1000000) / 2000000);
        }

        /// <summary>Round-trip echo time in microseconds for a distance in millimetres at a speed of sound in mm/s.</summary>
        public static int ToEchoMicroseconds(int distanceMillimeters, int speedMmPerSecond)
        {
            return (int)((distanceMillimeters * 2000000L + speedMmPerSecond / 2) / speedMmPerSecond);
        }

        /// <summary>
        /// Re-scales a distance a module computed with its own fixed speed of sound to the real speed of sound:
        /// d = reported · c(T) / c(module).
        /// </summary>
        public static int Recompensate(int reportedMillimeters, int moduleSpeedMmPerSecond, int actualSpeedMmPerSecond)
        {
            if (moduleSpeedMmPerSecond <= 0)
            {
                return reportedMillimeters;
            }

            return (int)((reportedMillimeters * (long)actualSpeedMmPerSecond + moduleSpeedMmPerSecond / 2) / moduleSpeedMmPerSecond);
        }
    }
}
