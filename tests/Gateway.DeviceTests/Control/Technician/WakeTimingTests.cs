using Gateway.Control.Technician;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Control.Technician
{
    /// <summary>
    /// The status's wake line on the device runtime (firmware/Gateway.Control/Technician/WakeTiming.cs): the exact text
    /// the host's hil reads (tests/Gateway.Tests/Hil/BoardTimingsTests.cs reads it back), for both kinds of start and
    /// for uptimes beyond 32 bits.
    /// </summary>
    [TestClass]
    public class WakeTimingTests
    {
        /// <summary>A deep-sleep wake and a power-on give the documented lines.</summary>
        [TestMethod]
        public void TheLineIsTheDocumentedOne()
        {
            Assert.AreEqual("wake: main at 640 ms, ready at 1180 ms after reset (deep-sleep wake)", WakeTiming.Format(640, 1180, true));
            Assert.AreEqual("wake: main at 0 ms, ready at 0 ms after reset (power-on or reset)", WakeTiming.Format(0, 0, false));
        }

        /// <summary>Uptimes above 32 bits are written whole, in plain digits.</summary>
        [TestMethod]
        public void LongUptimesAreWrittenWhole()
        {
            Assert.AreEqual("wake: main at 4294967296 ms, ready at 999999999999 ms after reset (power-on or reset)", WakeTiming.Format(4294967296L, 999999999999L, false));
        }
    }
}
