using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Bindings
{
    /// <summary>The bindings' conversion math on the device's own floating point and integer arithmetic.</summary>
    [TestClass]
    public class ConversionTests
    {
        /// <summary>343.2 m/s at 20 °C (square-root law from 331.3 m/s at 0 °C).</summary>
        [TestMethod]
        public void SpeedOfSoundAt20CelsiusIs343Point2MetresPerSecond()
        {
            int mmPerSecond = SpeedOfSound.MillimetersPerSecond(20000);
            Assert.IsTrue(mmPerSecond >= 343140 && mmPerSecond <= 343260, "speed of sound at 20 °C: " + mmPerSecond.ToString());
            Assert.AreEqual(SpeedOfSound.AtZeroCelsiusMmPerSecond, SpeedOfSound.MillimetersPerSecond(0));
        }

        /// <summary>The ADS1115 LSB is the full scale over 32768: 125 µV at ±4.096 V, 7.8125 µV at ±0.256 V.</summary>
        [TestMethod]
        public void Ads1115LsbIsTheFullScaleOver32768()
        {
            Assert.AreEqual(125000000L, Ads1115Conversion.LsbPicovolts(Ads1115Range.Fsr4096));
            Assert.AreEqual(7812500L, Ads1115Conversion.LsbPicovolts(Ads1115Range.Fsr0256));
            Assert.AreEqual(4095875, Ads1115Conversion.ToMicrovolts(32767, Ads1115Range.Fsr4096));
            Assert.AreEqual(-4096000, Ads1115Conversion.ToMicrovolts(-32768, Ads1115Range.Fsr4096));
        }

        /// <summary>A 150 Ω shunt gives 0.6 V at 4 mA and 3.0 V at 20 mA; NAMUR NE 43 classifies the loop current.</summary>
        [TestMethod]
        public void LoopCurrentFollowsTheShuntAndNamurThresholds()
        {
            Assert.AreEqual(4000, LoopCurrent.ToMicroamps(600000, 150000));
            Assert.AreEqual(20000, LoopCurrent.ToMicroamps(3000000, 150000));
            Assert.AreEqual((byte)LoopState.Failure, (byte)LoopCurrent.Classify(3799));
            Assert.AreEqual((byte)LoopState.UnderRange, (byte)LoopCurrent.Classify(3800));
            Assert.AreEqual((byte)LoopState.Measuring, (byte)LoopCurrent.Classify(4000));
            Assert.AreEqual((byte)LoopState.Measuring, (byte)LoopCurrent.Classify(20000));
            Assert.AreEqual((byte)LoopState.OverRange, (byte)LoopCurrent.Classify(20500));
            Assert.AreEqual((byte)LoopState.Failure, (byte)LoopCurrent.Classify(20501));
        }

        /// <summary>Pitch and roll at known orientations (Math.Atan2 and Math.Sqrt of the device's System.Math).</summary>
        [TestMethod]
        public void PitchAndRollAtKnownOrientations()
        {
            AssertNear(0, TiltConversion.PitchMillidegrees(0, 0, 1));
            AssertNear(90000, TiltConversion.PitchMillidegrees(1, 0, 0));
            AssertNear(30000, TiltConversion.PitchMillidegrees(0.5, 0, 0.8660254));
            AssertNear(-10000, TiltConversion.PitchMillidegrees(-0.1736482, 0, 0.9848078));
            AssertNear(45000, TiltConversion.RollMillidegrees(0.7071068, 0.7071068));
            AssertNear(90000, TiltConversion.RollMillidegrees(1, 0));
        }

        private static void AssertNear(int expected, int actual)
        {
            Assert.IsTrue(actual >= expected - 1 && actual <= expected + 1, "expected " + expected.ToString() + " ± 1, got " + actual.ToString());
        }
    }
}
