using System.Diagnostics;
using System.Threading;

namespace Gateway.Firmware
{
    /// <summary>
    /// The device entry point and composition root: wires the portable layers in Gateway.Core to the ESP32 adapters
    /// in hardware/Esp32 and runs the wake / sample / store / send / sleep cycle.
    /// </summary>
    public static class Program
    {
        /// <summary>Firmware entry point.</summary>
        public static void Main()
        {
            Debug.WriteLine("Gateway firmware starting");

            // The wake cycle is composed here as the device side lands (see firmware/README.md).
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
