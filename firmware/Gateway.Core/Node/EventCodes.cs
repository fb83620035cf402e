using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Core.Node
{
    /// <summary>
    /// How events, alarms, markers and gaps from the record log travel in a batch: as readings on the
    /// <see cref="ChannelId.EventCode"/> and <see cref="ChannelId.GapSpan"/> channels, so they share the readings'
    /// sequence space, compression and authentication. Layout of an EventCode value (32 bits):
    /// bits 24–31 kind (<see cref="EventKind"/>; 0xFF = marker), bits 16–23 alarm level or marker code (for the
    /// daily <see cref="EventKind.Alive"/>: the autonomy governor's step, 0 normal … 3 critical),
    /// bits 0–15 a kind-specific number: cadence in seconds for CadenceChanged, the value in centimetres
    /// (clamped to 0–65535) for level alarms, the rate for rate alarms.
    /// </summary>
    public static class EventCodes
    {
        /// <summary>The kind byte of a marker record.</summary>
        public const int MarkerKind = 0xFF;

        /// <summary>The code the log stores for an event: kind in the high byte, level in the low byte.</summary>
        public static ushort LogCode(ref SensingEvent e)
        {
            return (ushort)(((int)e.Kind << 8) | (int)e.Level);
        }

        /// <summary>The number the log stores with an event (the low 16 bits of the on-air value).</summary>
        public static int LogValue(ref SensingEvent e)
        {
            int v;
            if (e.Kind == EventKind.CadenceChanged)
            {
                v = e.CadenceMs / 1000;
            }
            else if (e.Kind == EventKind.RateOfRise || e.Kind == EventKind.SnowfallRate ||
                     e.Kind == EventKind.TiltRateHourly || e.Kind == EventKind.TiltRateDaily)
            {
                v = e.Rate;
            }
            else
            {
                v = e.Value / 10;
            }

            if (v < 0)
            {
                v = 0;
            }

            return v > 0xFFFF ? 0xFFFF : v;
        }

        /// <summary>Turns a log record into the reading that carries it in a batch.</summary>
        public static void ToBatchReading(ref LogRecord r, ref Reading reading)
        {
            reading.TimeMs = r.TimeMs;
            reading.Status = r.Status;
            switch (r.Kind)
            {
                case RecordKind.Reading:
                    reading.Channel = r.Channel;
                    reading.Value = r.Value;
                    break;
                case RecordKind.Gap:
                    reading.Channel = ChannelId.GapSpan;
                    reading.Value = (int)r.Span;
                    reading.Status = ReadingStatus.Ok;
                    break;
                case RecordKind.Marker:
                    reading.Channel = ChannelId.EventCode;
                    reading.Value = (MarkerKind << 24) | ((r.Code & 0xFF) << 16);
                    reading.Status = ReadingStatus.Ok;
                    break;
                default: // Event, Alarm
                    reading.Channel = ChannelId.EventCode;
                    reading.Value = ((r.Code >> 8) << 24) | ((r.Code & 0xFF) << 16) | (r.Value & 0xFFFF);
                    reading.Status = ReadingStatus.Ok;
                    break;
            }
        }

        /// <summary>True for the kinds that are alarms (a level reached, a rate exceeded, a tilt limit passed).</summary>
        public static bool IsAlarmKind(int kind)
        {
            return kind == (int)EventKind.AlarmRaised || kind == (int)EventKind.RateOfRise || kind == (int)EventKind.SnowfallRate ||
                   kind == (int)EventKind.TiltChange || kind == (int)EventKind.TiltRateHourly || kind == (int)EventKind.TiltRateDaily;
        }

        /// <summary>The event kind byte of an EventCode value.</summary>
        public static int KindOf(int value)
        {
            return (value >> 24) & 0xFF;
        }

        /// <summary>The level (or marker code) byte of an EventCode value.</summary>
        public static int LevelOf(int value)
        {
            return (value >> 16) & 0xFF;
        }

        /// <summary>The kind-specific 16-bit number of an EventCode value.</summary>
        public static int NumberOf(int value)
        {
            return value & 0xFFFF;
        }
    }
}
