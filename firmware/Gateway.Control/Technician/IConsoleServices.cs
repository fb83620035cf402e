using Gateway.Core.Sensing;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// What the console needs from the other layers. The composition root implements it over sensing, storage and
    /// uplink; the console itself stays portable and testable with a fake. No method may throw for an expected
    /// failure: report it through the return value and the error text (an unexpected exception is caught by the
    /// interpreter and shown as an internal error).
    /// </summary>
    public interface IConsoleServices
    {
        /// <summary>Status lines of the other layers (last readings, storage fill, uplink state, clock), one fact a line.</summary>
        string[] DescribeStatus();

        /// <summary>Runs the self-test (sensors answer and read plausible values, flash, modem); report lines in <paramref name="report"/>.</summary>
        /// <returns>True when every check passed.</returns>
        bool RunSelfTest(out string[] report);

        /// <summary>
        /// Measures the water level (or snow depth) now, from the fitted sensor with the configured mount height
        /// and calibration but WITHOUT channels.level_offset_mm, so the console can compute the offset from a tape
        /// measurement.
        /// </summary>
        bool TryMeasureRawLevel(out int levelMillimeters, out string error);

        /// <summary>Measures the inclinometer now, WITHOUT the configured zero (for zero-tilt).</summary>
        bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error);

        /// <summary>
        /// Runs commissioning: reads every fitted sensor, link test (join or attach, send, wait for the cloud's
        /// acknowledgement, signal margin), time sync, storage write/read, self-test; builds the signed commissioning
        /// record (Control/Commissioning), sends it to the cloud and reports it as hex plus human lines in
        /// <paramref name="report"/>.
        /// </summary>
        /// <returns>True when every check passed and the record was sent.</returns>
        bool Commission(out string[] report);

        /// <summary>The newest <paramref name="count"/> log lines, oldest first.</summary>
        string[] ReadLog(int count);

        /// <summary>Enters or leaves test mode (hardware in the loop: sensor values come from <see cref="InjectSensorValue"/>).</summary>
        void SetTestMode(bool on);

        /// <summary>In test mode, makes the next samples of <paramref name="channel"/> read <paramref name="value"/> (fixed-point units of the channel).</summary>
        bool InjectSensorValue(ChannelId channel, int value, out string error);

        /// <summary>
        /// In test mode, runs one sampling cycle now with the test clock advanced by one cadence period
        /// (<see cref="TestCycle"/>); <paramref name="line"/> is the answer: time, values, stored, sent or queued.
        /// </summary>
        /// <returns>False with the reason in <paramref name="line"/> when no cycle could run.</returns>
        bool RunTestCycle(int cycleNumber, out string line);

        /// <summary>The technician's tape reference was taken (reference-level): it goes into the commissioning record.</summary>
        void NoteTapeReference(int referenceMillimeters, int measuredMillimeters);
    }
}
