namespace Gateway.Bindings.Inclinometer
{
    /// <summary>Settings of a slope inclinometer (plain fields, loaded from the JSON configuration).</summary>
    public sealed class InclinometerSettings
    {
        /// <summary>Counts per g of the part at its configured range (ADXL345 full resolution: 256; MPU6050 ±2 g: 16384).</summary>
        public int CountsPerG = 256;

        /// <summary>Samples averaged per reading (oversampling: noise falls with √N).</summary>
        public int Oversample = 64;

        /// <summary>Installation zero of pitch, millidegrees (set by the technician; subtracted from every reading).</summary>
        public int ZeroPitchMillidegrees;

        /// <summary>Installation zero of roll, millidegrees.</summary>
        public int ZeroRollMillidegrees;

        /// <summary>Peak-to-peak spread of any axis across the oversampled burst above which the reading is Noisy, counts.</summary>
        public int NoiseLimitCounts = 40;

        /// <summary>Allowed deviation of |a| from 1 g, thousandths of g; beyond it the sensor is moving or failed (OutOfRange).</summary>
        public int GravityToleranceMilliG = 100;
    }
}
