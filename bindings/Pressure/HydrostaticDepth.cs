using System;

namespace Gateway.Bindings.Pressure
{
    /// <summary>Pure hydrostatics: water depth from gauge pressure, h = p / (ρ · g).</summary>
    public static class HydrostaticDepth
    {
        /// <summary>Standard gravity, m/s² (CGPM 1901).</summary>
        public const double StandardGravity = 9.80665;

        /// <summary>Fresh water, kg/m³ (999.7 at 10 °C rounds to 1000; use about 1025 for sea water).</summary>
        public const int FreshWaterDensity = 1000;

        /// <summary>Standard atmosphere, pascals (used when no barometer is available; the reading is then flagged).</summary>
        public const int StandardAtmospherePascals = 101325;

        /// <summary>Water column in millimetres for a gauge pressure in pascals and a density in kg/m³.</summary>
        public static int ToMillimeters(int gaugePascals, int densityKgPerCubicMeter)
        {
            return (int)Math.Round(gaugePascals * 1000.0 / (densityKgPerCubicMeter * StandardGravity));
        }

        /// <summary>Gauge pressure in pascals for a water column in millimetres.</summary>
        public static int ToPascals(int millimeters, int densityKgPerCubicMeter)
        {
            return (int)Math.Round(millimeters * densityKgPerCubicMeter * StandardGravity / 1000.0);
        }
    }
}
