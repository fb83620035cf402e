using System;
using System.Collections;
using Gateway.Control.Technician;
using Gateway.Core.Sensing;

namespace Gateway.DeviceTests.Support
{
    /// <summary>The console's other layers, faked: records calls and returns scripted results.</summary>
    public sealed class FakeConsoleServices : IConsoleServices
    {
        /// <summary>The self-test result.</summary>
        public bool SelfTestPasses = true;

        /// <summary>The commissioning result.</summary>
        public bool CommissionSucceeds = true;

        /// <summary>Whether a level can be measured.</summary>
        public bool LevelAvailable = true;

        /// <summary>The raw level measured, mm.</summary>
        public int RawLevelMm = 1234;

        /// <summary>Whether the inclinometer answers.</summary>
        public bool TiltAvailable = true;

        /// <summary>Raw X tilt, millidegrees.</summary>
        public int RawTiltX = 1500;

        /// <summary>Raw Y tilt, millidegrees.</summary>
        public int RawTiltY = -700;

        /// <summary>Test mode as last set.</summary>
        public bool TestMode;

        /// <summary>Channels injected, in order.</summary>
        public readonly ArrayList InjectedChannels = new ArrayList();

        /// <summary>Values injected, in order.</summary>
        public readonly ArrayList InjectedValues = new ArrayList();

        /// <summary>Log lines, oldest first.</summary>
        public readonly ArrayList Log = new ArrayList();

        /// <summary>Commission calls.</summary>
        public int CommissionCalls;

        /// <summary>Test cycles run.</summary>
        public int Cycles;

        /// <summary>DescribeStatus throws (a failing layer).</summary>
        public bool ThrowFromStatus;

        /// <summary>The last tape reference noted (reference, measured); -1 before any.</summary>
        public int TapeReference = -1;

        /// <summary>The level measured when the tape reference was noted.</summary>
        public int TapeMeasured = -1;

        /// <inheritdoc />
        public string[] DescribeStatus()
        {
            if (ThrowFromStatus)
            {
                throw new InvalidOperationException("status source failed");
            }

            return new string[] { "level: 1234 mm", "storage: 3 % used" };
        }

        /// <inheritdoc />
        public bool RunSelfTest(out string[] report)
        {
            report = new string[] { "ultrasonic: " + (SelfTestPasses ? "pass" : "FAIL no echo") };
            return SelfTestPasses;
        }

        /// <inheritdoc />
        public bool TryMeasureRawLevel(out int levelMillimeters, out string error)
        {
            levelMillimeters = RawLevelMm;
            error = LevelAvailable ? "" : "no echo";
            return LevelAvailable;
        }

        /// <inheritdoc />
        public bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error)
        {
            xMillidegrees = RawTiltX;
            yMillidegrees = RawTiltY;
            error = TiltAvailable ? "" : "no answer on I2C";
            return TiltAvailable;
        }

        /// <inheritdoc />
        public bool Commission(out string[] report)
        {
            CommissionCalls++;
            report = new string[] { "joined", CommissionSucceeds ? "test batch acknowledged" : "no acknowledgement" };
            return CommissionSucceeds;
        }

        /// <inheritdoc />
        public string[] ReadLog(int count)
        {
            int n = count < Log.Count ? count : Log.Count;
            string[] lines = new string[n];
            for (int i = 0; i < n; i++)
            {
                lines[i] = (string)Log[Log.Count - n + i];
            }

            return lines;
        }

        /// <inheritdoc />
        public void SetTestMode(bool on)
        {
            TestMode = on;
        }

        /// <inheritdoc />
        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            if (!TestMode)
            {
                error = "not in test mode";
                return false;
            }

            InjectedChannels.Add((int)channel);
            InjectedValues.Add(value);
            error = "";
            return true;
        }

        /// <inheritdoc />
        public bool RunTestCycle(int cycleNumber, out string line)
        {
            Cycles++;
            line = "cycle " + cycleNumber.ToString();
            return true;
        }

        /// <inheritdoc />
        public void NoteTapeReference(int referenceMillimeters, int measuredMillimeters)
        {
            TapeReference = referenceMillimeters;
            TapeMeasured = measuredMillimeters;
        }
    }
}
