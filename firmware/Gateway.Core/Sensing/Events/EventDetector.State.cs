namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// The detector's decisions that must survive a reboot or a deep-sleep wake (which reset RAM): without them a
    /// river already above the caution level would raise its alarms again after every restart.
    /// </summary>
    public sealed partial class EventDetector
    {
        /// <summary>Bytes written by <see cref="ExportState"/>.</summary>
        public const int StateLength = 8;

        private const byte StateVersion = 1;

        /// <summary>
        /// Writes the state to keep (version, mode, alarm level, observing, tilt change alarms) into
        /// <paramref name="buffer"/> at <paramref name="offset"/>; <see cref="StateLength"/> bytes.
        /// The rate windows and the pre-trigger ring are not kept: they refill within their window.
        /// </summary>
        public void ExportState(byte[] buffer, int offset)
        {
            buffer[offset] = StateVersion;
            buffer[offset + 1] = (byte)Mode;
            buffer[offset + 2] = (byte)AlarmLevel;
            buffer[offset + 3] = (byte)((_observing ? 1 : 0) | (_tiltChangeActive[0] ? 2 : 0) | (_tiltChangeActive[1] ? 4 : 0) | (_snowfall.Active ? 8 : 0));
            buffer[offset + 4] = (byte)(QuietStretch < 1 ? 1 : QuietStretch > 255 ? 255 : QuietStretch);
            buffer[offset + 5] = 0;
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
        }

        /// <summary>
        /// Restores a state written by <see cref="ExportState"/> before the first reading after a restart; false (and
        /// nothing changed) for an unknown version. Alarms already raised are not raised again; the first reading
        /// clears them normally if the level has fallen meanwhile.
        /// </summary>
        public bool ImportState(byte[] buffer, int offset)
        {
            if (buffer[offset] != StateVersion || buffer[offset + 1] > (byte)CadenceMode.Rapid || buffer[offset + 2] > (byte)AlarmLevel.Danger)
            {
                return false;
            }

            Mode = (CadenceMode)buffer[offset + 1];
            AlarmLevel = (AlarmLevel)buffer[offset + 2];
            byte flags = buffer[offset + 3];
            _observing = (flags & 1) != 0;
            _tiltChangeActive[0] = (flags & 2) != 0;
            _tiltChangeActive[1] = (flags & 4) != 0;
            QuietStretch = buffer[offset + 4] < 1 ? 1 : buffer[offset + 4];
            return true;
        }
    }
}
