using System;

namespace Gateway.Core.Sensing
{
    /// <summary>
    /// Quality flags carried with every reading. A flagged reading is kept and sent as flagged, never passed off
    /// as valid and never dropped silently. The bit values appear on flash and on air: never renumber, only append.
    /// </summary>
    [Flags]
    public enum ReadingStatus : ushort
    {
        /// <summary>A valid reading.</summary>
        Ok = 0,

        /// <summary>The value is outside the sensor's or the site's valid range.</summary>
        OutOfRange = 0x0001,

        /// <summary>No echo or a timeout: the sensor did not answer in time.</summary>
        NoEcho = 0x0002,

        /// <summary>Current-loop fault per NAMUR NE 43 (below 3.8 mA or above 20.5 mA), or a disconnected sensor.</summary>
        LoopFault = 0x0004,

        /// <summary>The same raw value N times in a row: the sensor may be stuck.</summary>
        Stuck = 0x0008,

        /// <summary>A spike was rejected: the value shown is the filter's substitute, not the raw sample.</summary>
        SpikeRejected = 0x0010,

        /// <summary>The spread of the samples behind this reading is above the configured limit.</summary>
        Noisy = 0x0020,

        /// <summary>Not compensated (for example, the air temperature for the speed of sound was missing).</summary>
        Uncompensated = 0x0040,

        /// <summary>The wall clock was unknown when measured: the time is boot counter plus uptime until re-stamped.</summary>
        TimeUnknown = 0x0080,

        /// <summary>Garbage from the sensor's bus (bad frame, bad checksum) behind this reading.</summary>
        BusError = 0x0100,

        /// <summary>Measured during a technician's session (calibration, commissioning): not a field observation.</summary>
        Maintenance = 0x0200,
    }
}
