namespace Gateway.Bindings.Pressure
{
    /// <summary>
    /// Zero/span calibration of a pressure transducer: a linear map from its signal (loop microamps, or the
    /// ratiometric output in parts per million of the supply) to pascals. Persisted apart from the data.
    /// </summary>
    public sealed class TransducerCalibration
    {
        /// <summary>The signal at zero pressure (4000 µA for a 4–20 mA loop; 100 000 ppm for 0.5–4.5 V on 5 V).</summary>
        public int ZeroSignal;

        /// <summary>The signal change from zero to full scale (16 000 µA; 800 000 ppm).</summary>
        public int SpanSignal;

        /// <summary>The pressure at full scale, pascals (e.g. 49 033 Pa for a 5 m water column).</summary>
        public int FullScalePascals;

        /// <summary>Creates a calibration.</summary>
        public TransducerCalibration(int zeroSignal, int spanSignal, int fullScalePascals)
        {
            ZeroSignal = zeroSignal;
            SpanSignal = spanSignal;
            FullScalePascals = fullScalePascals;
        }

        /// <summary>The nominal calibration of a 4–20 mA transducer of the given full scale.</summary>
        public static TransducerCalibration CurrentLoop(int fullScalePascals)
        {
            return new TransducerCalibration(LoopCurrent.ZeroMicroamps, LoopCurrent.FullScaleMicroamps - LoopCurrent.ZeroMicroamps, fullScalePascals);
        }

        /// <summary>The nominal calibration of a 0.5–4.5 V ratiometric transducer on a 5 V supply.</summary>
        public static TransducerCalibration Ratiometric(int fullScalePascals)
        {
            return new TransducerCalibration(100000, 800000, fullScalePascals);
        }

        /// <summary>Pascals for a signal.</summary>
        public int ToPascals(int signal)
        {
            long scaled = (long)(signal - ZeroSignal) * FullScalePascals;
            return (int)((scaled >= 0 ? scaled + SpanSignal / 2 : scaled - SpanSignal / 2) / SpanSignal);
        }

        /// <summary>Sets the zero from a signal measured at a known pressure (the span is kept).</summary>
        public void SetZero(int signal, int pascals)
        {
            ZeroSignal = signal - (int)((long)pascals * SpanSignal / FullScalePascals);
        }

        /// <summary>Two-point zero and span from two signals measured at two known pressures.</summary>
        public void SetTwoPoint(int lowSignal, int lowPascals, int highSignal, int highPascals)
        {
            long dSignal = highSignal - lowSignal;
            long dPascals = highPascals - lowPascals;
            SpanSignal = (int)(dSignal * FullScalePascals / dPascals);
            ZeroSignal = lowSignal - (int)((long)lowPascals * SpanSignal / FullScalePascals);
        }
    }
}
