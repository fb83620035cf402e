namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// value' = value · gain + offset, with the gain in parts per million (1 000 000 = ×1). Applied to every reading
    /// that carries a value (flagged ones too, so that a flagged value stays in the same unit).
    /// </summary>
    public sealed class LinearCalibrationFilter : IReadingFilter
    {
        /// <summary>Gain, parts per million.</summary>
        public int GainPpm;

        /// <summary>Offset, in the channel's unit.</summary>
        public int Offset;

        /// <summary>Creates the calibration.</summary>
        public LinearCalibrationFilter(int gainPpm, int offset)
        {
            GainPpm = gainPpm;
            Offset = offset;
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if ((reading.Status & (ReadingStatus.NoEcho | ReadingStatus.LoopFault)) != 0)
            {
                return true;
            }

            long scaled = (long)reading.Value * GainPpm;
            reading.Value = (int)((scaled >= 0 ? scaled + 500000 : scaled - 500000) / 1000000) + Offset;
            return true;
        }
    }
}
