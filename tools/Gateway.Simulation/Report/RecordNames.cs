using System.Globalization;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Simulation.Report
{
    /// <summary>
    /// Words for what the cloud stores as numbers: a channel's name and unit, and an event record's (channel 30) code
    /// decoded as the firmware packs it (<see cref="EventCodes"/>: kind, level or marker code, a kind-specific number).
    /// </summary>
    public static class RecordNames
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        /// <summary>The channel's name, e.g. "water_level"; "channel_N" for a number the firmware does not define.</summary>
        public static string Channel(byte channel) => (ChannelId)channel switch
        {
            ChannelId.DistanceMillimeters => "distance",
            ChannelId.WaterLevelMillimeters => "water_level",
            ChannelId.SnowDepthMillimeters => "snow_depth",
            ChannelId.PressurePascals => "water_pressure",
            ChannelId.TiltXMillidegrees => "tilt_pitch",
            ChannelId.TiltYMillidegrees => "tilt_roll",
            ChannelId.TemperatureMillicelsius => "air_temperature",
            ChannelId.BatteryMillivolts => "battery_voltage",
            ChannelId.SupplyMillivolts => "supply_voltage",
            ChannelId.AirPressurePascals => "air_pressure",
            ChannelId.EventCode => "event",
            ChannelId.GapSpan => "gap",
            _ => "channel_" + channel.ToString(Inv),
        };

        /// <summary>The unit of the channel's stored value ("mm", "Pa", "millidegrees", ...).</summary>
        public static string Unit(byte channel) => (ChannelId)channel switch
        {
            ChannelId.DistanceMillimeters or ChannelId.WaterLevelMillimeters or ChannelId.SnowDepthMillimeters => "mm",
            ChannelId.PressurePascals or ChannelId.AirPressurePascals => "Pa",
            ChannelId.TiltXMillidegrees or ChannelId.TiltYMillidegrees => "millidegrees",
            ChannelId.TemperatureMillicelsius => "millidegrees C",
            ChannelId.BatteryMillivolts or ChannelId.SupplyMillivolts => "mV",
            ChannelId.EventCode => "event code",
            ChannelId.GapSpan => "records",
            _ => "",
        };

        /// <summary>Words for a named alarm level ("caution", "evacuation decision", ...).</summary>
        public static string Level(int level) => (AlarmLevel)level switch
        {
            AlarmLevel.None => "none",
            AlarmLevel.Standby => "standby",
            AlarmLevel.Caution => "caution",
            AlarmLevel.EvacuationDecision => "evacuation decision",
            AlarmLevel.Danger => "danger",
            _ => "level " + level.ToString(Inv),
        };

        /// <summary>A short label for a chart: the level's name for a level alarm, the kind in words otherwise.</summary>
        public static string ShortEvent(int code)
        {
            var kind = EventCodes.KindOf(code);
            return kind == (int)EventKind.AlarmRaised ? Level(EventCodes.LevelOf(code)) : Kind(kind);
        }

        /// <summary>The event kind in words ("alarm raised", "rate of rise", ..., "marker").</summary>
        public static string Kind(int kind) => kind switch
        {
            (int)EventKind.AlarmRaised => "alarm raised",
            (int)EventKind.AlarmCleared => "alarm cleared",
            (int)EventKind.CadenceChanged => "cadence changed",
            (int)EventKind.RateOfRise => "rate of rise",
            (int)EventKind.Alive => "alive",
            (int)EventKind.PreTriggerCommitted => "pre-trigger readings committed",
            (int)EventKind.SnowfallRate => "snowfall rate",
            (int)EventKind.TiltChange => "tilt change",
            (int)EventKind.TiltRateHourly => "tilt rate (hourly)",
            (int)EventKind.TiltRateDaily => "tilt rate (daily)",
            (int)EventKind.RateCleared => "rate cleared",
            EventCodes.MarkerKind => "marker",
            _ => "event kind " + kind.ToString(Inv),
        };

        /// <summary>
        /// An event record's code in words, with its number in its unit, e.g. "alarm raised: caution at 1730 mm",
        /// "cadence changed: 120 s", "marker: power failing".
        /// </summary>
        public static string Event(int code)
        {
            var kind = EventCodes.KindOf(code);
            var level = EventCodes.LevelOf(code);
            var n = EventCodes.NumberOf(code);
            string Num(int v) => v.ToString(Inv);
            return kind switch
            {
                (int)EventKind.AlarmRaised or (int)EventKind.AlarmCleared => $"{Kind(kind)}: {Level(level)} at {Num(n * 10)} mm",
                (int)EventKind.CadenceChanged => $"{Kind(kind)}: {Num(n)} s",
                (int)EventKind.RateOfRise => $"{Kind(kind)}: {Num(n)} mm per 10 min",
                (int)EventKind.SnowfallRate => $"{Kind(kind)}: {Num(n)} mm per hour",
                (int)EventKind.TiltChange => $"{Kind(kind)}: {Num(n * 10)} millidegrees from zero",
                (int)EventKind.TiltRateHourly => $"{Kind(kind)}: {Num(n)} millidegrees per hour",
                (int)EventKind.TiltRateDaily => $"{Kind(kind)}: {Num(n)} millidegrees per day",
                EventCodes.MarkerKind => level switch
                {
                    MarkerCode.PowerFailing => "marker: power failing (staged records committed)",
                    MarkerCode.TechnicianLinkTest => "marker: technician's link test",
                    _ => "marker " + Num(level),
                },
                _ => Kind(kind),
            };
        }
    }
}
