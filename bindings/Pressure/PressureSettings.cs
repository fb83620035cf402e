namespace Gateway.Bindings.Pressure
{
    /// <summary>How the transducer's signal reaches the ADC.</summary>
    public enum TransducerSignal : byte
    {
        /// <summary>4–20 mA through a shunt resistor into the ADC.</summary>
        CurrentLoop = 0,

        /// <summary>0.5–4.5 V ratiometric output of a transducer on the same supply as the ADC reference.</summary>
        Ratiometric = 1,
    }

    /// <summary>What the pressure channel reports.</summary>
    public enum PressureOutput : byte
    {
        /// <summary>Gauge pressure above the transducer, pascals.</summary>
        Pressure = 0,

        /// <summary>Water level above the gauge datum = transducer elevation + depth, millimetres.</summary>
        WaterLevel = 1,
    }

    /// <summary>Settings of a water-pressure transducer input (plain fields, loaded from the JSON configuration).</summary>
    public sealed class PressureSettings
    {
        /// <summary>Loop or ratiometric.</summary>
        public TransducerSignal Signal = TransducerSignal.CurrentLoop;

        /// <summary>The ADS1115 range: ±4.096 V suits a 150 Ω shunt (20 mA = 3.0 V) and 0.5–4.5 V needs ±6.144 V.</summary>
        public Ads1115Range Range = Ads1115Range.Fsr4096;

        /// <summary>Shunt resistance, milliohms (150 Ω = 150 000).</summary>
        public int ShuntMilliohms = 150000;

        /// <summary>Supply of a ratiometric transducer, millivolts.</summary>
        public int SupplyMillivolts = 5000;

        /// <summary>Conversions averaged per reading (oversampling against loop noise).</summary>
        public int Oversample = 4;

        /// <summary>Zero/span calibration.</summary>
        public TransducerCalibration Calibration = TransducerCalibration.CurrentLoop(49033);

        /// <summary>True for an absolute (sealed) transducer: air pressure is subtracted (barometric compensation).</summary>
        public bool Absolute;

        /// <summary>Water density, kg/m³.</summary>
        public int DensityKgPerCubicMeter = HydrostaticDepth.FreshWaterDensity;

        /// <summary>What the channel reports.</summary>
        public PressureOutput Output = PressureOutput.WaterLevel;

        /// <summary>
        /// Readings in a row whose oversampled ADC codes are all identical to the previous reading's before the reading
        /// is flagged Stuck (0: off). A live loop always carries a few LSB of noise; a frozen converter does not.
        /// </summary>
        public int StuckReadings = 10;

        /// <summary>Elevation of the transducer's diaphragm above the gauge datum, millimetres.</summary>
        public int SensorElevationMm;
    }
}
