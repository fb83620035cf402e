using Gateway.Core.Sensing;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>What a downward-looking ranger's distance is turned into.</summary>
    public enum RangerOutput : byte
    {
        /// <summary>The raw distance to the surface (<see cref="ChannelId.DistanceMillimeters"/>).</summary>
        Distance = 0,

        /// <summary>Water level = mount height − distance (<see cref="ChannelId.WaterLevelMillimeters"/>).</summary>
        WaterLevel = 1,

        /// <summary>Snow depth = bare-ground distance − distance (<see cref="ChannelId.SnowDepthMillimeters"/>).</summary>
        SnowDepth = 2,
    }

    /// <summary>Pure geometry of a downward-looking ranger.</summary>
    public static class LevelGeometry
    {
        /// <summary>The channel produced for an output kind.</summary>
        public static ChannelId ChannelFor(RangerOutput output)
        {
            if (output == RangerOutput.WaterLevel)
            {
                return ChannelId.WaterLevelMillimeters;
            }

            if (output == RangerOutput.SnowDepth)
            {
                return ChannelId.SnowDepthMillimeters;
            }

            return ChannelId.DistanceMillimeters;
        }

        /// <summary>
        /// Converts a distance: water level = <paramref name="referenceMm"/> (sensor face above the gauge datum) −
        /// distance; snow depth = <paramref name="referenceMm"/> (distance to bare ground) − distance.
        /// </summary>
        public static int Convert(RangerOutput output, int referenceMm, int distanceMm)
        {
            if (output == RangerOutput.Distance)
            {
                return distanceMm;
            }

            return referenceMm - distanceMm;
        }
    }
}
