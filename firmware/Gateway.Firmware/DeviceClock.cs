using System;
using Gateway.Core.Time;
using nanoFramework.Runtime.Native;

namespace Gateway.Firmware
{
    /// <summary>
    /// The ESP32's clocks as <see cref="IClock"/>: uptime from the tick counter (restarts at every reset and deep-sleep
    /// wake), wall time from the RTC (kept through deep sleep, lost at a power cut). A wall time before 2025 means
    /// the RTC restarted: quality Unknown until the network or a technician sets it.
    /// </summary>
    /// <remarks>
    /// Without a 32 kHz crystal the RTC runs from the internal 150 kHz RC oscillator in deep sleep (several percent of
    /// drift); every acknowledgement's time downlink corrects it.
    /// </remarks>
    public sealed class DeviceClock : IClock, IWallClockSetter
    {
        /// <summary>2025-01-01T00:00:00Z in Unix ms: earlier wall times are an RTC that restarted.</summary>
        public const long PlausibleAfterMs = 1735689600000L;

        private ClockQuality _quality;

        /// <summary>Creates the clock; <paramref name="qualityBeforeSleep"/> is what the last run knew.</summary>
        public DeviceClock(ClockQuality qualityBeforeSleep)
        {
            _quality = WallTimeMs >= PlausibleAfterMs ? qualityBeforeSleep : ClockQuality.Unknown;
            if (_quality == ClockQuality.Unknown && WallTimeMs >= PlausibleAfterMs)
            {
                _quality = ClockQuality.Technician;
            }
        }

        /// <summary>
        /// Milliseconds since this reset or deep-sleep wake, readable before the clock is built (<c>Program.Main</c>'s
        /// first line). The tick counter starts at the ESP-IDF application start: the ROM and second-stage bootloader
        /// before it are not counted.
        /// </summary>
        public static long Uptime
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc />
        public long UptimeMs
        {
            get { return Uptime; }
        }

        /// <inheritdoc />
        public long WallTimeMs
        {
            get { return (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond; }
        }

        /// <inheritdoc />
        public ClockQuality Quality
        {
            get { return _quality; }
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality)
        {
            Rtc.SetSystemTime(new DateTime(DateTime.UnixEpoch.Ticks + wallTimeMs * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc));
            _quality = quality;
        }
    }
}
