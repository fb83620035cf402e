using System;
using System.Text;
using Gateway.Core.Storage;

namespace Gateway.Control
{
    /// <summary>Why the firmware last stopped running, as it recorded it itself.</summary>
    public enum ResetReason : byte
    {
        /// <summary>Nothing recorded (first boot after flashing).</summary>
        None = 0,

        /// <summary>It went to deep sleep on purpose.</summary>
        DeepSleep = 1,

        /// <summary>The watchdog found the main loop silent and rebooted.</summary>
        Watchdog = 2,

        /// <summary>A planned reboot (cloud command, technician).</summary>
        Planned = 3,

        /// <summary>An exception reached Program.Main.</summary>
        Fatal = 4,
    }

    /// <summary>
    /// The small durable record of why the firmware last stopped (reason, stage, boot counter, time), read at the
    /// next boot and reported with the chip's wake cause. It has its own durable-state instance (own buffer), so the
    /// watchdog thread can write it while the main loop is stuck anywhere, even inside another flash write.
    /// </summary>
    /// <remarks>
    /// Layout (little-endian): version 1 (1 byte), reason (1), boot counter (4), wall time ms (8), silent ms (4),
    /// stage length (1), stage ASCII (≤ 24).
    /// </remarks>
    public sealed class ResetRecord
    {
        private const int MaxStage = 24;
        private const int Bytes = 1 + 1 + 4 + 8 + 4 + 1 + MaxStage;
        private readonly DurableState _state;
        private readonly byte[] _buffer = new byte[Bytes];

        /// <summary>Opens the record on the flash store and loads what the last run wrote.</summary>
        public ResetRecord(IFlashStore store)
        {
            _state = new DurableState(store, Bytes);
            int length;
            if (_state.TryLoad(ControlBlobs.ResetRecordKey, _buffer, 0, out length) && length >= 19 && _buffer[0] == 1)
            {
                Reason = (ResetReason)_buffer[1];
                BootCounter = LittleEndian.ReadUInt32(_buffer, 2);
                WallTimeMs = LittleEndian.ReadInt64(_buffer, 6);
                SilentMs = LittleEndian.ReadUInt32(_buffer, 14);
                int n = _buffer[18];
                Stage = n > 0 && n <= MaxStage && length >= 19 + n ? new string(Encoding.UTF8.GetChars(_buffer, 19, n)) : "";
            }
            else
            {
                Stage = "";
            }
        }

        /// <summary>The reason recorded last.</summary>
        public ResetReason Reason { get; private set; }

        /// <summary>The boot counter of the run that wrote it.</summary>
        public uint BootCounter { get; private set; }

        /// <summary>Wall time when it was written (Unix ms; 0 when unknown).</summary>
        public long WallTimeMs { get; private set; }

        /// <summary>For a watchdog reboot: how long the main loop had been silent, ms.</summary>
        public uint SilentMs { get; private set; }

        /// <summary>The main loop's stage when it was written.</summary>
        public string Stage { get; private set; }

        /// <summary>Writes a new record (durable when this returns). Skips the write when nothing changed (steady deep sleep).</summary>
        public void Write(ResetReason reason, string stage, uint bootCounter, long wallTimeMs, long silentMs)
        {
            if (stage == null)
            {
                stage = "";
            }

            if (reason == Reason && reason == ResetReason.DeepSleep && stage == Stage)
            {
                return;
            }

            Array.Clear(_buffer, 0, _buffer.Length);
            _buffer[0] = 1;
            _buffer[1] = (byte)reason;
            LittleEndian.WriteUInt32(_buffer, 2, bootCounter);
            LittleEndian.WriteInt64(_buffer, 6, wallTimeMs);
            LittleEndian.WriteUInt32(_buffer, 14, silentMs > uint.MaxValue ? uint.MaxValue : (uint)silentMs);
            int n = 0;
            for (int i = 0; i < stage.Length && n < MaxStage; i++)
            {
                char c = stage[i];
                _buffer[19 + n++] = c < 128 ? (byte)c : (byte)'?';
            }

            _buffer[18] = (byte)n;
            _state.Save(ControlBlobs.ResetRecordKey, _buffer, 0, 19 + n);
            Reason = reason;
            Stage = stage;
            BootCounter = bootCounter;
            WallTimeMs = wallTimeMs;
            SilentMs = silentMs > uint.MaxValue ? uint.MaxValue : (uint)silentMs;
        }

        /// <summary>
        /// One line for the console and the debug output: what the chip says (wake cause) and what the firmware
        /// recorded, reconciled. <paramref name="deepSleepWake"/> is true when the wake cause is a deep-sleep source.
        /// </summary>
        public string Describe(bool deepSleepWake, string wakeCause)
        {
            string cause;
            if (deepSleepWake)
            {
                cause = Reason == ResetReason.DeepSleep ? "deep-sleep wake" : "deep-sleep wake (record says " + Name(Reason) + ")";
            }
            else if (Reason == ResetReason.Watchdog)
            {
                cause = "watchdog reboot: main loop silent " + SilentMs.ToString() + " ms in stage '" + Stage + "'";
            }
            else if (Reason == ResetReason.Planned)
            {
                cause = "planned reboot (" + Stage + ")";
            }
            else if (Reason == ResetReason.Fatal)
            {
                cause = "reboot after a fatal error in stage '" + Stage + "'";
            }
            else if (Reason == ResetReason.None)
            {
                cause = "first boot (nothing recorded)";
            }
            else
            {
                cause = "unexpected reset: power cut, brown-out or crash (last stage '" + Stage + "')";
            }

            return "reset: " + cause + "; wake cause: " + wakeCause + "; previous boot " + BootCounter.ToString();
        }

        private static string Name(ResetReason r)
        {
            switch (r)
            {
                case ResetReason.DeepSleep:
                    return "deep sleep";
                case ResetReason.Watchdog:
                    return "watchdog";
                case ResetReason.Planned:
                    return "planned";
                case ResetReason.Fatal:
                    return "fatal";
                default:
                    return "none";
            }
        }
    }
}
