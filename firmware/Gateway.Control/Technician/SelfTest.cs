using System;
using System.Collections;
using Gateway.Control.Config;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// The self-test, the same on the ESP32 and on a virtual gateway: the level sensor answers with a plausible value,
    /// the inclinometer answers, the air temperature and the battery read plausible values (battery above the
    /// configured low threshold), a 64-byte pattern written to the control blobs reads back identical, and the uplink
    /// is ready. One report line per check; true when every check passed.
    /// </summary>
    public static class SelfTest
    {
        /// <summary>Bytes of the flash write/read-back pattern.</summary>
        public const int PatternBytes = 64;

        /// <summary>Coldest and warmest plausible air temperature, m°C.</summary>
        public const int MinMillicelsius = -40000;

        /// <summary>Warmest plausible air temperature, m°C.</summary>
        public const int MaxMillicelsius = 60000;

        /// <summary>Runs every check; <paramref name="seed"/> varies the flash pattern between runs.</summary>
        public static bool Run(IGatewayPlatform platform, uint seed, ArrayList lines)
        {
            bool ok = true;
            GatewayConfig config = platform.Config.HasConfig ? platform.Config.Active : new GatewayConfig();
            if (config.UltrasonicFitted || config.PressureFitted)
            {
                int level;
                string error;
                bool measured = platform.TryMeasureRawLevel(out level, out error);
                int highest = config.UltrasonicFitted ? config.UltrasonicMountHeightMillimeters + 1000 : 100000;
                bool plausible = measured && level >= -1000 && level <= highest;
                lines.Add("level: " + (plausible ? "ok " + level.ToString() + " mm" : measured ? "FAIL implausible " + level.ToString() + " mm" : "FAIL " + error));
                ok &= plausible;
            }

            if (config.InclinometerFitted)
            {
                int x;
                int y;
                string error;
                bool tilt = platform.TryMeasureRawTilt(out x, out y, out error);
                lines.Add("tilt: " + (tilt ? "ok x " + x.ToString() + " y " + y.ToString() + " m°" : "FAIL " + error));
                ok &= tilt;
            }

            if (platform.HasAirTemperature)
            {
                int milli;
                bool read = platform.TryReadAirTemperature(out milli);
                bool plausible = read && milli >= MinMillicelsius && milli <= MaxMillicelsius;
                lines.Add("temperature: " + (plausible ? "ok " : "FAIL ") + (read ? milli.ToString() + " m°C" : "no answer from the probe"));
                ok &= plausible;
            }

            TestModeSources sources = platform.TestSources;
            if (sources != null)
            {
                if (config.BatteryFitted)
                {
                    ok &= CheckChannel(sources.Raw, ChannelId.BatteryMillivolts, config.BatteryLowMillivolts, 30000, "battery", "mV (low " + config.BatteryLowMillivolts.ToString() + " mV)", lines);
                }
            }

            ok &= CheckFlash(platform.Blobs, seed, lines);
            string reason;
            if (platform.EnsureNode(out reason) && platform.Transport != null)
            {
                bool ready = platform.Transport.EnsureReady();
                lines.Add("uplink: " + platform.Transport.Name + (ready ? " ready" : " FAIL not ready"));
                ok &= ready;
            }
            else
            {
                lines.Add("uplink: REFUSED, " + (reason.Length == 0 ? "no transport" : reason));
                ok = false;
            }

            return ok;
        }

        /// <summary>Writes a pattern to the self-test blob and reads it back.</summary>
        public static bool CheckFlash(IDurableBlobs blobs, uint seed, ArrayList lines)
        {
            byte[] pattern = new byte[PatternBytes];
            uint x = seed | 1;
            for (int i = 0; i < pattern.Length; i++)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                pattern[i] = (byte)x;
            }

            try
            {
                blobs.WriteAtomic(ControlBlobs.SelfTestBlob, pattern);
                byte[] back;
                bool same = blobs.TryRead(ControlBlobs.SelfTestBlob, out back) && back != null && back.Length == pattern.Length;
                for (int i = 0; same && i < pattern.Length; i++)
                {
                    same = back[i] == pattern[i];
                }

                lines.Add("flash: " + (same ? "ok (" + PatternBytes.ToString() + "-byte write/read back)" : "FAIL read back differs"));
                return same;
            }
            catch (Exception ex)
            {
                // A flash that fails under the write (power, wear, full) is a failed check, not a crashed console.
                lines.Add("flash: FAIL " + ex.Message);
                return false;
            }
        }

        private static bool CheckChannel(ISensorSource[] sources, ChannelId channel, int min, int max, string name, string unit, ArrayList lines)
        {
            for (int i = 0; i < sources.Length; i++)
            {
                if (sources[i].Channel != channel)
                {
                    continue;
                }

                Reading r = new Reading();
                r.Channel = channel;
                bool ok = sources[i].TrySample(ref r) && r.IsValid && r.Value >= min && r.Value <= max;
                lines.Add(name + ": " + (ok ? "ok " : "FAIL ") + r.Value.ToString() + " " + unit + (r.IsValid ? "" : ", status 0x" + ((int)r.Status).ToString("X4")));
                return ok;
            }

            return true;
        }
    }
}
