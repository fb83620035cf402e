namespace Gateway.Core.Sensing
{
    /// <summary>
    /// What a reading measures, with its unit in the name. Values are integers in fixed-point units at the
    /// sensor's real resolution. The numeric values appear on flash and on air: never renumber, only append.
    /// </summary>
    public enum ChannelId : byte
    {
        /// <summary>Raw distance from an ultrasonic ranger to the target surface, millimetres.</summary>
        DistanceMillimeters = 1,

        /// <summary>Water level above the site datum (mount height − distance, or from pressure), millimetres.</summary>
        WaterLevelMillimeters = 2,

        /// <summary>Snow depth (bare-ground distance − distance), millimetres.</summary>
        SnowDepthMillimeters = 3,

        /// <summary>Water pressure above the transducer (gauge), pascals.</summary>
        PressurePascals = 4,

        /// <summary>Slope tilt about the X axis (pitch), millidegrees.</summary>
        TiltXMillidegrees = 5,

        /// <summary>Slope tilt about the Y axis (roll), millidegrees.</summary>
        TiltYMillidegrees = 6,

        /// <summary>Air temperature, millidegrees Celsius.</summary>
        TemperatureMillicelsius = 7,

        /// <summary>Battery voltage, millivolts.</summary>
        BatteryMillivolts = 8,

        /// <summary>Supply (solar or mains adapter) voltage, millivolts.</summary>
        SupplyMillivolts = 9,

        /// <summary>Barometric (air) pressure, pascals.</summary>
        AirPressurePascals = 10,

        /// <summary>
        /// An event or alarm record carried in a batch like a reading: the value is the event code (see the uplink
        /// README), the time is when it happened. Lets alarms share the readings' sequence space and authentication.
        /// </summary>
        EventCode = 30,

        /// <summary>
        /// A gap record carried in a batch like a reading: the value is the span n ≥ 1, meaning this record's sequence
        /// and the n − 1 after it were dropped by the capacity policy (accounted for, not lost).
        /// </summary>
        GapSpan = 31,
    }
}
