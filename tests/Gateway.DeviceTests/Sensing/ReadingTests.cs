using Gateway.Core.Sensing;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Sensing
{
    /// <summary>
    /// The reading value type on the device runtime: construction, validity and the quality flags' on-air values.
    /// </summary>
    [TestClass]
    public class ReadingTests
    {
        /// <summary>A reading without quality flags is valid and keeps every field.</summary>
        [TestMethod]
        public void ReadingWithoutFlagsIsValidAndKeepsItsFields()
        {
            var reading = new Reading(ChannelId.WaterLevelMillimeters, 1700000000123L, 1234, ReadingStatus.Ok);

            Assert.IsTrue(reading.IsValid);
            Assert.AreEqual((byte)ChannelId.WaterLevelMillimeters, (byte)reading.Channel);
            Assert.AreEqual(1700000000123L, reading.TimeMs);
            Assert.AreEqual(1234, reading.Value);
        }

        /// <summary>Any quality flag makes a reading invalid.</summary>
        [TestMethod]
        public void AnyQualityFlagMakesTheReadingInvalid()
        {
            var noEcho = new Reading(ChannelId.DistanceMillimeters, 0, 0, ReadingStatus.NoEcho);
            var combined = new Reading(ChannelId.PressurePascals, 0, 9800, ReadingStatus.Stuck | ReadingStatus.TimeUnknown);

            Assert.IsFalse(noEcho.IsValid);
            Assert.IsFalse(combined.IsValid);
        }

        /// <summary>A default reading has no flags and so is valid: writers must always set the channel.</summary>
        [TestMethod]
        public void DefaultReadingHasNoFlags()
        {
            Reading reading = default;

            Assert.IsTrue(reading.IsValid);
            Assert.AreEqual((ushort)0, (ushort)reading.Status);
        }

        /// <summary>Quality flags keep their on-flash and on-air bit values and combine bitwise on the device.</summary>
        [TestMethod]
        public void QualityFlagsKeepTheirBitValues()
        {
            Assert.AreEqual((ushort)0x0001, (ushort)ReadingStatus.OutOfRange);
            Assert.AreEqual((ushort)0x0080, (ushort)ReadingStatus.TimeUnknown);
            Assert.AreEqual((ushort)0x0200, (ushort)ReadingStatus.Maintenance);

            ReadingStatus status = ReadingStatus.NoEcho | ReadingStatus.BusError;
            Assert.IsTrue((status & ReadingStatus.BusError) != 0);
            Assert.IsFalse((status & ReadingStatus.Stuck) != 0);
        }

        /// <summary>Channel identifiers keep their on-air numbers.</summary>
        [TestMethod]
        public void ChannelIdentifiersKeepTheirNumbers()
        {
            Assert.AreEqual((byte)1, (byte)ChannelId.DistanceMillimeters);
            Assert.AreEqual((byte)4, (byte)ChannelId.PressurePascals);
            Assert.AreEqual((byte)10, (byte)ChannelId.AirPressurePascals);
        }
    }
}
