using Gateway.Core.Node;
using nanoFramework.TestFramework;

namespace Gateway.DeviceTests.Node
{
    /// <summary>
    /// The autonomy governor on the device runtime (firmware/Gateway.Core/Node/AutonomyGovernor): the voltage-to-charge
    /// tables, the documented steps and the hysteresis, as tests/Gateway.Tests/Node/AutonomyGovernorTests.cs checks them
    /// on the host.
    /// </summary>
    [TestClass]
    public class AutonomyGovernorTests
    {
        [TestMethod]
        public void AFallingLiIonCellWalksTheStepsAndRecoversOnlyWithMargin()
        {
            AutonomyGovernor g = new AutonomyGovernor();
            int[] millivolts = { 4200, 3800, 3760, 3700, 3830, 3900 };
            int[] steps = { 0, 1, 2, 3, 1, 0 };
            for (int i = 0; i < millivolts.Length; i++)
            {
                g.Update(millivolts[i]);
                Assert.AreEqual(steps[i], g.Step, "after " + millivolts[i].ToString() + " mV");
            }

            Assert.AreEqual(1, g.Stretch);
            Assert.AreEqual(5, g.Changes);
        }

        [TestMethod]
        public void APrimaryCellIsNormalOnItsPlateauAndCriticalAtTheKnee()
        {
            AutonomyGovernor g = new AutonomyGovernor();
            g.PrimaryCell = true;
            g.Update(3600);
            Assert.AreEqual(0, g.Step);
            g.Update(3280);
            Assert.AreEqual(3, g.Step);
            Assert.AreEqual(6, g.Stretch);
        }
    }
}
