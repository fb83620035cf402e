using System;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace Gateway.Hardware.Esp32.Power
{
    /// <summary>
    /// Wake cause, deep sleep and reboot on the ESP32 (nanoFramework.Hardware.Esp32.Sleep,
    /// nanoFramework.Runtime.Native.Power). A deep-sleep wake is a reset: RAM is lost, the RTC keeps the time.
    /// </summary>
    public static class Esp32Power
    {
        /// <summary>Shortest deep sleep the firmware asks for, ms (below it the wake costs more than it saves).</summary>
        public const long MinSleepMs = 1000;

        /// <summary>Longest deep sleep, ms (a wake at least every hour keeps the watchdog record and the RTC honest).</summary>
        public const long MaxSleepMs = 3600000;

        /// <summary>Why the chip is running: Timer/Gpio/Ext0/Ext1 after a deep sleep, Undefined after a reset or power-on.</summary>
        public static Sleep.WakeupCause WakeCause()
        {
            return Sleep.GetWakeupCause();
        }

        /// <summary>True when the wake cause says the chip came out of deep sleep (not a reset or power-on).</summary>
        public static bool IsDeepSleepWake(Sleep.WakeupCause cause)
        {
            return cause != Sleep.WakeupCause.Undefined;
        }

        /// <summary>A short name of the wake cause for the console and the boot report.</summary>
        public static string Describe(Sleep.WakeupCause cause)
        {
            switch (cause)
            {
                case Sleep.WakeupCause.Timer:
                    return "timer";
                case Sleep.WakeupCause.Ext0:
                case Sleep.WakeupCause.Ext1:
                case Sleep.WakeupCause.Gpio:
                    return "pin";
                case Sleep.WakeupCause.Uart:
                    return "uart";
                case Sleep.WakeupCause.TouchPad:
                    return "touch";
                case Sleep.WakeupCause.Ulp:
                case Sleep.WakeupCause.CoCpu:
                case Sleep.WakeupCause.CoCpuTrapTrig:
                    return "ulp";
                case Sleep.WakeupCause.Undefined:
                    return "reset";
                default:
                    return "other";
            }
        }

        /// <summary>Deep sleep for <paramref name="sleepMs"/> (clamped to [<see cref="MinSleepMs"/>, <see cref="MaxSleepMs"/>]); does not return.</summary>
        public static void DeepSleep(long sleepMs)
        {
            if (sleepMs < MinSleepMs)
            {
                sleepMs = MinSleepMs;
            }

            if (sleepMs > MaxSleepMs)
            {
                sleepMs = MaxSleepMs;
            }

            Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(sleepMs * TimeSpan.TicksPerMillisecond));
            Sleep.StartDeepSleep();
        }

        /// <summary>Reboots the device now (watchdog, planned reboot); does not return.</summary>
        public static void Reboot()
        {
            nanoFramework.Runtime.Native.Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
